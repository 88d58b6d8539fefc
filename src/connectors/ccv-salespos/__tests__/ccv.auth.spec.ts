import { ccvDate, ccvHash, parseCcvDate, signCcvRequest, verifyCcvResponse } from "../ccv.auth";

// Reference §2.3: worked examples with invented keys.
const pub = "pk_demo_123";
const secret = "sk_demo_456";
const date = "2024-05-01T12:00:00Z";

describe("CCV request signing — reference §2.3 worked examples", () => {
  it("1. GET collection (empty body → '||' between uri and date)", () => {
    expect(
      ccvHash(secret, {
        publicKey: pub,
        method: "GET",
        uri: "/api/rest/v1/products/?start=0&size=25",
        body: "",
        date,
      }),
    ).toBe(
      "84af2e9dee4ccce5c7f56ca9f8da3e23cb751332a88b5e4179503745cb4396a3114bdc4a0fab76e058c5c0e7e65cb3366f4c491ae051656436b398e7607614a7",
    );
  });

  it('2. PATCH with body {"stock":7}', () => {
    expect(
      ccvHash(secret, {
        publicKey: pub,
        method: "PATCH",
        uri: "/api/rest/v1/products/123456/",
        body: JSON.stringify({ stock: 7 }),
        date,
      }),
    ).toBe(
      "5483316e44878ce0a1f576bc202298ff9ee06178ef60acb46576f7bee097801da4695a6b5e7cfb3ff058006da84cd1796baaa893d68a417f5d0ecf85eb6d7cf2",
    );
  });

  it("3. POST order", () => {
    const body = JSON.stringify({
      orderrows: [{ product_id: 123456, count: 2 }],
      customer: { email: "jan@example.com" },
    });
    expect(body).toBe(
      '{"orderrows":[{"product_id":123456,"count":2}],"customer":{"email":"jan@example.com"}}',
    );
    expect(ccvHash(secret, { publicKey: pub, method: "POST", uri: "/api/rest/v1/orders/", body, date })).toBe(
      "07bb0e69f3c41007bd2b861f7765fe11e8b2fce59fff3137b3c5496b200a38e14ee88c765ada875d02ea80db53403c78fde655a45ffbf9c1dc0cea3cf521de0f",
    );
  });

  it("4. DELETE with a +00:00 date (the literal header text is hashed)", () => {
    expect(
      ccvHash(secret, {
        publicKey: pub,
        method: "DELETE",
        uri: "/api/rest/v1/webhooks/42/",
        body: "",
        date: "2024-05-01T12:00:00+00:00",
      }),
    ).toBe(
      "49b1e773d40ed6412a3bb9715a342f6cd7182fc400163fea093eb957d3d353dea127b5acbe262d957067296f7c58441463b0c15fc01c98be21cec68faca8e86c",
    );
  });

  it("5. GET with encoded expand (%2C stays encoded) and sorting", () => {
    const uri =
      "/api/rest/v1/products/?expand=productphotos%2Cattributecombinations&orderby=modifydate_desc&start=25&size=25";
    expect(ccvHash(secret, { publicKey: pub, method: "GET", uri, body: "", date })).toBe(
      "687901ac89e833b8630c5a3fbe9d6265285fbecbe6b543a55da06145288ed971e43a1877958e42c9510b24e74dff45b83abc3e15a95b49c4c7393bc24f75efdb",
    );
  });

  it("6. the same logical body, serialised two ways, gives two hashes (hash what you send)", () => {
    const value = {
      event: "orders.created",
      address: "https://gw.example.com/hooks/ccv/orders",
      is_active: true,
    };
    const js = JSON.stringify(value);
    // what PHP's json_encode sends for the same value
    const php =
      '{"event":"orders.created","address":"https:\\/\\/gw.example.com\\/hooks\\/ccv\\/orders","is_active":true}';
    expect(
      ccvHash(secret, { publicKey: pub, method: "POST", uri: "/api/rest/v1/webhooks/", body: js, date }),
    ).toBe(
      "a73b481bea7a83d74da7565639b4a65e9bbb249d597936ceb5fc6ec7df4d371bbd4a8dee605ac8ee14bafa0e5ab98b3069f0aef04f9a8c28c340a3ae7de1b553",
    );
    expect(
      ccvHash(secret, { publicKey: pub, method: "POST", uri: "/api/rest/v1/webhooks/", body: php, date }),
    ).toBe(
      "7869b3e80d729c29c5c053e2e04f2b4cbc2be6bacd1b53a8101c559161e62ec144d5debeb6ef4da4a2fb56744467ecddf4b592e7ce5008e95f0060b3b734ee3f",
    );
  });

  it("7. response verification over the raw response body and the response x-date", () => {
    const expected =
      "13f0596d4de17ee89741216471914b02eb938d9781b2baa58199888bd2c49c45467914dc3ee5b9b5f56aa7c9408960bbe8d32601ae8534964d68a88e9ccb9e75";
    const p = {
      publicKey: pub,
      method: "GET",
      uri: "/api/rest/v1/products/123456/",
      rawBody: Buffer.from('{"id":123456,"name":"Mok"}'),
      date: "2024-05-01T12:00:01Z",
    };
    expect(verifyCcvResponse(secret, { ...p, hash: expected })).toBe(true);
    expect(verifyCcvResponse(secret, { ...p, hash: expected.toUpperCase() })).toBe(true);
    // one changed byte, another date, a missing hash: refused
    expect(
      verifyCcvResponse(secret, {
        ...p,
        rawBody: Buffer.from('{"id":123456,"name":"Mok "}'),
        hash: expected,
      }),
    ).toBe(false);
    expect(verifyCcvResponse(secret, { ...p, date: "2024-05-01T12:00:02Z", hash: expected })).toBe(false);
    expect(verifyCcvResponse(secret, { ...p, hash: undefined })).toBe(false);
  });
});

describe("CCV signing helpers", () => {
  it("formats x-date as YYYY-MM-DDTHH:mm:ssZ without milliseconds", () => {
    expect(ccvDate(new Date("2024-05-01T12:00:00.789Z"))).toBe("2024-05-01T12:00:00Z");
  });

  it("signs a request with the three headers over the exact body text", () => {
    const h = signCcvRequest(pub, secret, "patch", "/api/rest/v1/products/123456/", '{"stock":7}', date);
    expect(h).toEqual({
      "x-public": pub,
      "x-date": date,
      "x-hash":
        "5483316e44878ce0a1f576bc202298ff9ee06178ef60acb46576f7bee097801da4695a6b5e7cfb3ff058006da84cd1796baaa893d68a417f5d0ecf85eb6d7cf2",
    });
  });

  it("hashes a Buffer body byte for byte like its UTF-8 text", () => {
    const text = '{"name":"Caf\u00e9 \u2615"}';
    const a = ccvHash(secret, { publicKey: pub, method: "POST", uri: "/x", body: text, date });
    const b = ccvHash(secret, {
      publicKey: pub,
      method: "POST",
      uri: "/x",
      body: Buffer.from(text, "utf8"),
      date,
    });
    expect(a).toBe(b);
  });

  it.each([
    ["2024-05-01T12:00:00Z", Date.UTC(2024, 4, 1, 12)],
    ["2024-05-01T12:00:00+00:00", Date.UTC(2024, 4, 1, 12)],
    ["2024-05-01T12:00:00+0000", Date.UTC(2024, 4, 1, 12)],
    ["2024-05-01T14:00:00+02:00", Date.UTC(2024, 4, 1, 12)],
    ["2024-5-1T9:00:00Z", Date.UTC(2024, 4, 1, 9)],
    ["2024-05-01T12:00:00.500Z", Date.UTC(2024, 4, 1, 12) + 500],
  ])("parses the x-date %s leniently", (text, expected) => {
    expect(parseCcvDate(text)).toBe(expected);
  });

  it("rejects text that is not a date", () => {
    expect(parseCcvDate("yesterday")).toBeUndefined();
    expect(parseCcvDate(undefined)).toBeUndefined();
  });
});
