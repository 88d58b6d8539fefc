import fs from "node:fs";
import path from "node:path";

/**
 * Every `§` citation in the code resolves to a heading of a document in this repository, so the
 * repo stands alone and citations cannot rot. Which document a citation means:
 *  - `ARCHITECTURE §5` → docs/architecture.md; `Ecwid §8.6` → docs/vendors/ecwid.md;
 *    `CCV §5.7` → docs/vendors/ccv-salespos.md (the word right before the first `§` of a run
 *    such as `§2.2, §6.4` or `§4.2–§4.4` applies to the whole run);
 *  - a citation without a prefix means the vendor its file belongs to, by path (`…/ecwid/…`,
 *    `ccv.client.ts`); in a file whose path names both vendors or neither, a bare `§` is an error.
 */

const ROOT = path.resolve(__dirname, "..");
const DOCS = {
  architecture: "docs/architecture.md",
  ecwid: "docs/vendors/ecwid.md",
  ccv: "docs/vendors/ccv-salespos.md",
} as const;
type Doc = keyof typeof DOCS;

/** What is scanned: the code, its tests, benches, migrations, scripts and the READMEs. */
const SCANNED_DIRS = ["src", "test", "bench", "migrations", "scripts"];
const SCANNED_FILES = ["README.md", "eslint.config.mjs"];

const SECTION = String.raw`§\d+(?:\.\d+)*`;
const RUN = new RegExp(
  String.raw`(?:\b(ARCHITECTURE|Ecwid|CCV)\s+)?(${SECTION}(?:\s*(?:,|/|–|-|\band\b|\bor\b)\s*${SECTION})*)`,
  "gi",
);

interface Citation {
  file: string;
  line: number;
  section: string;
  doc?: Doc;
  /** why no document could be chosen */
  problem?: string;
}

/** The vendor a file belongs to by its path, when exactly one is named. */
function vendorOfPath(file: string): Doc | undefined {
  const p = file.toLowerCase();
  const ecwid = p.includes("ecwid");
  const ccv = p.includes("ccv");
  if (ecwid === ccv) return undefined;
  return ecwid ? "ecwid" : "ccv";
}

function citationsIn(file: string, text: string): Citation[] {
  const out: Citation[] = [];
  text.split("\n").forEach((lineText, i) => {
    for (const m of lineText.matchAll(RUN)) {
      const prefix = m[1]?.toLowerCase();
      const doc: Doc | undefined =
        prefix === "architecture"
          ? "architecture"
          : prefix === "ecwid"
            ? "ecwid"
            : prefix === "ccv"
              ? "ccv"
              : vendorOfPath(file);
      for (const s of m[2].match(new RegExp(SECTION, "g")) ?? []) {
        const c: Citation = { file, line: i + 1, section: s.slice(1) };
        if (doc) c.doc = doc;
        else
          c.problem = "bare § in a file that is not one vendor's: write Ecwid §…, CCV §… or ARCHITECTURE §…";
        out.push(c);
      }
    }
  });
  return out;
}

/** The section numbers a document has as headings (`## §5.6.2 …`). */
function headingsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#+\s+§(\d+(?:\.\d+)*)\b/gm)) out.add(m[1]);
  return out;
}

function filesUnder(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : filesUnder(rel);
    return /\.(ts|js|mjs|md)$/.test(e.name) ? [rel] : [];
  });
}

function unresolved(citations: Citation[], headings: Record<Doc, Set<string>>): string[] {
  return citations
    .filter((c) => c.problem || !c.doc || !headings[c.doc].has(c.section))
    .map(
      (c) =>
        `${c.file}:${c.line} §${c.section} → ${c.problem ?? `no heading §${c.section} in ${DOCS[c.doc as Doc]}`}`,
    );
}

describe("§ citations resolve inside the repository", () => {
  const headings = Object.fromEntries(
    (Object.keys(DOCS) as Doc[]).map((d) => [
      d,
      headingsOf(fs.readFileSync(path.join(ROOT, DOCS[d]), "utf8")),
    ]),
  ) as Record<Doc, Set<string>>;

  it("every citation in src, test, bench, migrations, scripts and the READMEs has its heading", () => {
    // this file's own examples are not citations
    const files = [...SCANNED_DIRS.flatMap(filesUnder), ...SCANNED_FILES].filter(
      (f) => f !== path.relative(ROOT, __filename),
    );
    const citations = files.flatMap((f) => citationsIn(f, fs.readFileSync(path.join(ROOT, f), "utf8")));
    // the scan sees the citations the code is known to hold (a broken scanner would pass vacuously)
    expect(citations.filter((c) => c.doc === "ccv").length).toBeGreaterThan(50);
    expect(citations.filter((c) => c.doc === "ecwid").length).toBeGreaterThan(50);
    expect(citations.filter((c) => c.doc === "architecture").length).toBeGreaterThan(3);
    expect(unresolved(citations, headings)).toEqual([]);
  });

  it("reads the document a citation means from its prefix or its file's path", () => {
    const docOf = (file: string, text: string) => citationsIn(file, text).map((c) => c.doc ?? c.problem);
    expect(docOf("src/connectors/ccv-salespos/ccv.client.ts", "(§5.6.2)")).toEqual(["ccv"]);
    expect(docOf("src/sandbox/ecwid/ecwid.store.ts", "§8.6/§8.7")).toEqual(["ecwid", "ecwid"]);
    expect(docOf("src/sync/flows/orders-ecwid-to-ccv.flow.ts", "CCV §5.7, §5.6.1 and Ecwid §8.3")).toEqual([
      "ccv",
      "ccv",
      "ecwid",
    ]);
    expect(docOf("src/connectors/ecwid/ecwid.types.ts", "(ARCHITECTURE §1/§5)")).toEqual([
      "architecture",
      "architecture",
    ]);
    expect(docOf("src/sync/engine/x.ts", "see §4.4")).toEqual([expect.stringContaining("bare §")]);
  });

  it("fails on a citation without its heading", () => {
    const docs = { architecture: new Set(["1"]), ecwid: new Set(["8.6"]), ccv: new Set(["5.7"]) };
    const cites = citationsIn("src/sync/x.ts", "Ecwid §8.6; CCV §5.7.9; ARCHITECTURE §9; §2");
    expect(unresolved(cites, docs)).toEqual([
      "src/sync/x.ts:1 §5.7.9 → no heading §5.7.9 in docs/vendors/ccv-salespos.md",
      "src/sync/x.ts:1 §9 → no heading §9 in docs/architecture.md",
      expect.stringMatching(/^src\/sync\/x\.ts:1 §2 → bare §/),
    ]);
  });

  it("finds the headings of a document", () => {
    expect([...headingsOf("# Title\n## §5 Orders\n### §5.6.2 Create\ntext §9\n")]).toEqual(["5", "5.6.2"]);
  });
});
