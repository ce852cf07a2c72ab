// Network test against the service's own /nettest route: round trip from a few tiny requests,
// download of 1 MiB and upload of 512 KiB, each with a time limit so a slow line still ends.

const DOWNLOAD_BYTES = 1024 * 1024;
const UPLOAD_BYTES = 512 * 1024;
const LIMIT_MS = 12000;
const MAX_KBPS = 10_000_000;

/** kbit/s from bytes and milliseconds (1 kbit/s is 1 bit per millisecond). */
function kbps(bytes, ms) {
  return Math.min(MAX_KBPS, Math.round((bytes * 8) / Math.max(ms, 1)));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function roundTrip(url) {
  const times = [];
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    const resp = await fetch(`${url}?bytes=1&probe=${i}`, { cache: 'no-store' });
    await resp.arrayBuffer();
    times.push(performance.now() - start);
  }
  return Math.round(median(times.slice(1))); // the first one pays for the connection
}

async function download(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), LIMIT_MS);
  const start = performance.now();
  let received = 0;
  try {
    const resp = await fetch(`${url}?bytes=${DOWNLOAD_BYTES}`, {
      cache: 'no-store',
      signal: controller.signal,
    });
    if (!resp.ok) throw new Error(`download ${resp.status}`);
    const reader = resp.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
    }
  } catch (err) {
    if (!controller.signal.aborted || received === 0) throw err;
  } finally {
    clearTimeout(timer);
  }
  return kbps(received, performance.now() - start);
}

function payload() {
  const data = new Uint8Array(UPLOAD_BYTES);
  for (let i = 0; i < data.length; i += 65536) {
    crypto.getRandomValues(data.subarray(i, i + 65536)); // not compressible on the way
  }
  return data;
}

async function upload(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), LIMIT_MS);
  const body = payload();
  const start = performance.now();
  try {
    const resp = await fetch(url, {
      method: 'POST',
      body,
      cache: 'no-store',
      headers: { 'Content-Type': 'application/octet-stream' },
      signal: controller.signal,
    });
    if (!resp.ok) throw new Error(`upload ${resp.status}`);
    await resp.arrayBuffer();
    return kbps(UPLOAD_BYTES, performance.now() - start);
  } catch (err) {
    // Not done within the limit: the line carries less than this (a generous upper bound).
    if (controller.signal.aborted) return kbps(UPLOAD_BYTES / 2, LIMIT_MS);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** { rtt_ms, download_kbps, upload_kbps }; throws when the service cannot be reached. */
export async function measureNetwork(url) {
  const rtt_ms = await roundTrip(url);
  const download_kbps = await download(url);
  const upload_kbps = await upload(url);
  return { rtt_ms: Math.min(rtt_ms, 120000), download_kbps, upload_kbps };
}
