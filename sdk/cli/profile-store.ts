import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Saved sign-ins (`gateway login`): one JSON file, readable by its owner only (0600, in a 0700
 * directory), at $GATEWAY_CONFIG_DIR/config.json, else $XDG_CONFIG_HOME/ecwid-ccv-gateway/, else
 * ~/.config/ecwid-ccv-gateway/. It holds API keys: it is written atomically with its mode set
 * before any key is in it, and a file others can read is narrowed back to 0600 on the next read.
 */
export interface Profile {
  url: string;
  apiKey: string;
  /** what the key was, when saved (shown by `gateway whoami`) */
  role?: string;
  workspace?: string;
  savedAt?: string;
}

interface ConfigFile {
  profiles: Record<string, Profile>;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GATEWAY_CONFIG_DIR) return env.GATEWAY_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "ecwid-ccv-gateway");
}

export class ProfileStore {
  readonly file: string;
  /** set when a file was readable by others and has been narrowed to 0600 */
  repairedMode = false;

  constructor(dir = configDir()) {
    this.file = path.join(dir, "config.json");
  }

  private read(): ConfigFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
      throw e;
    }
    if (process.platform !== "win32" && (fs.statSync(this.file).mode & 0o077) !== 0) {
      fs.chmodSync(this.file, 0o600);
      this.repairedMode = true;
    }
    try {
      const parsed = JSON.parse(text) as Partial<ConfigFile>;
      return { profiles: parsed.profiles && typeof parsed.profiles === "object" ? parsed.profiles : {} };
    } catch {
      throw new Error(`${this.file} is not valid JSON; fix or delete it, then sign in again.`);
    }
  }

  private write(cfg: ConfigFile): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.config.${process.pid}.${Date.now()}.tmp`);
    // the mode is set when the file is created, before the key is written into it
    fs.writeFileSync(tmp, `${JSON.stringify(cfg, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    fs.renameSync(tmp, this.file);
    fs.chmodSync(this.file, 0o600);
  }

  get(name: string): Profile | undefined {
    return this.read().profiles[name];
  }

  names(): string[] {
    return Object.keys(this.read().profiles).sort();
  }

  save(name: string, profile: Profile): void {
    const cfg = this.read();
    cfg.profiles[name] = profile;
    this.write(cfg);
  }

  /** true when there was such a profile */
  remove(name: string): boolean {
    const cfg = this.read();
    if (!cfg.profiles[name]) return false;
    delete cfg.profiles[name];
    this.write(cfg);
    return true;
  }
}
