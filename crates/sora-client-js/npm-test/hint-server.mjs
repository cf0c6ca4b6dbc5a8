// A tiny jobs API whose every answer asks to wait `u64::MAX` ms (`retry-after-ms`), a 200 poll
// too: the reproduction of issue 16. Answers CORS like the emulator; logs each request.
//
//   const server = await hintServer();   // server.url, server.requests, server.close()
import http from "node:http";

export const HUGE_HINT = "18446744073709551615";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "apim-request-id, retry-after, retry-after-ms, content-length, content-type",
};

export async function hintServer() {
  const requests = [];
  const started = Date.now();
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, path: req.url.split("?")[0], at_ms: Date.now() - started });
    req.resume();
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...CORS, "access-control-allow-methods": "GET, POST, DELETE", "access-control-allow-headers": "*" });
      return res.end();
    }
    const now = Math.floor(Date.now() / 1000);
    const job = { object: "video.generation.job", id: "task_hint", status: "running", model: "sora", prompt: "p", created_at: now, n_variants: 1, n_seconds: 1, width: 480, height: 480, generations: [] };
    res.writeHead(200, { ...CORS, "content-type": "application/json", "retry-after-ms": HUGE_HINT });
    res.end(JSON.stringify(job));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close };
}
