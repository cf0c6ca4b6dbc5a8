// A tiny HTTP server that impersonates the video jobs API and answers with markup and odd ids in
// every text field, for the fault matrix's "hostile server" row. It answers CORS like the emulator.
//
//   const server = await hostileServer();   // server.url, server.requests, server.close()

import http from "node:http";

const MARKUP = "<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script><b>bold</b>";

/** The texts the server sends, for the test to look for (verbatim) on the page. */
export const HOSTILE = {
  markup: MARKUP,
  // `/`, `..`, `?`, `#`, percent signs and non-ASCII: the id must stay one path segment.
  id: `task_../../admin/reset?x=1#${MARKUP}%2F☃é`,
  reason: `${MARKUP} reason`,
  message: `${MARKUP} message`,
  code: "<u>content_policy_violation</u>",
  revised: `A calm street ${MARKUP}`,
};

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "apim-request-id, retry-after, retry-after-ms, content-length, content-range, last-modified, accept-ranges, content-type",
  "cross-origin-resource-policy": "cross-origin",
  // Markup in a header the studio shows (the request id).
  "apim-request-id": "<script>window.__pwned=1</script>",
};

function job(prompt, status = "failed") {
  const now = Math.floor(Date.now() / 1000);
  return {
    object: "video.generation.job",
    id: HOSTILE.id,
    status,
    model: `sora${MARKUP}`,
    prompt: prompt ?? `${MARKUP} prompt`,
    created_at: now,
    finished_at: now,
    expires_at: now + 86_400,
    n_variants: 1,
    n_seconds: 5,
    width: 854,
    height: 480,
    generations: [],
    failure_reason: HOSTILE.reason,
  };
}

/** Start the server on a free loopback port. */
export async function hostileServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url });
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const send = (status, value, headers = {}) => {
        const text = value === undefined ? "" : JSON.stringify(value);
        res.writeHead(status, { ...CORS, "content-type": "application/json", ...headers });
        res.end(text);
      };
      if (req.method === "OPTIONS") {
        res.writeHead(204, {
          ...CORS,
          "access-control-allow-methods": "GET, POST, DELETE, HEAD, OPTIONS",
          "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
          "access-control-max-age": "600",
        });
        return res.end();
      }
      const route = req.url.split("?")[0];
      const jobs = "/openai/v1/video/generations/jobs";
      if (req.method === "POST" && route === jobs) {
        let prompt = "";
        try {
          prompt = JSON.parse(body).prompt ?? "";
        } catch {
          // Multipart or broken: the job still comes back hostile.
        }
        if (prompt.includes("refuse")) {
          return send(400, {
            error: {
              code: HOSTILE.code,
              message: HOSTILE.message,
              param: `<em>prompt</em>`,
              type: null,
              inner_error: { code: "ResponsibleAIPolicyViolation", revised_prompt: HOSTILE.revised },
            },
          });
        }
        // Still running when created, so the studio polls it (by its odd id).
        return send(200, job(prompt, "preprocessing"));
      }
      if (req.method === "GET" && route === jobs) {
        return send(200, { object: "list", data: [job()], has_more: false, first_id: HOSTILE.id, last_id: HOSTILE.id });
      }
      if (route.startsWith(`${jobs}/`)) {
        if (req.method === "DELETE") return send(204);
        return send(200, job());
      }
      return send(404, { error: { code: "404", message: `${MARKUP} not found`, param: null, type: null } });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
