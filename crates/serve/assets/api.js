// Fetches from the rasid JSON API; a failed call throws an Error carrying the API's error code and message.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(`${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

async function parse(res) {
  const body = await res.text();
  let json = null;
  try { json = body ? JSON.parse(body) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    const e = json && json.error ? json.error : { code: 'http_' + res.status, message: body.slice(0, 200) };
    throw new ApiError(res.status, e.code, e.message);
  }
  return json;
}

/** GET /v1/<path> with the given query parameters (empty values left out). */
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const qs = q.toString();
  return parse(await fetch('/v1/' + path + (qs ? '?' + qs : ''), { headers: { accept: 'application/json' } }));
}

/** POST text to /v1/extract and return the analysed documents with their texts. */
export async function extract(text, params = {}) {
  const q = new URLSearchParams(Object.entries({ ...params, include_text: 'true' }).filter(([, v]) => v));
  const res = await fetch('/v1/extract' + (q.toString() ? '?' + q : ''), {
    method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text,
  });
  return parse(res);
}
