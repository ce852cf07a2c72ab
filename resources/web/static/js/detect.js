// Browser, operating system and device type, from the user agent (and userAgentData where the
// browser offers it). Small and honest: names and the browser's major version only; what we
// cannot tell is "unknown". These three values are what the consent text lists.

const BROWSERS = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/SamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/CriOS\/(\d+)/, 'Chrome'],
  [/(?:HeadlessChrome|Chrome|Chromium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]*(?: Mobile\/\S+)? Safari\//, 'Safari'],
];

/** The browsers the technical requirements name (current versions). */
export const SUPPORTED_BROWSERS = ['Chrome', 'Edge', 'Firefox', 'Safari'];

function browserOf(ua) {
  for (const [pattern, name] of BROWSERS) {
    const match = ua.match(pattern);
    if (match) return { name, version: Number(match[1]) };
  }
  return { name: null, version: null };
}

function osOf(ua, touchPoints, platform) {
  if (/iPhone|iPad|iPod/.test(ua)) return 'iOS';
  if (/Macintosh/.test(ua) && touchPoints > 1) return 'iPadOS';
  if (/Android/.test(ua)) return 'Android';
  if (/Windows NT|Windows Phone/.test(ua)) return 'Windows';
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/Mac OS X|Macintosh/.test(ua)) return 'macOS';
  if (/Linux|X11/.test(ua)) return 'Linux';
  if (platform) return String(platform).slice(0, 30);
  return null;
}

function deviceOf(ua, os, mobileHint) {
  if (/iPhone|iPod/.test(ua)) return 'phone';
  if (/iPad/.test(ua) || os === 'iPadOS') return 'tablet';
  if (os === 'Android') return /Mobile/.test(ua) || mobileHint ? 'phone' : 'tablet';
  if (mobileHint) return 'phone';
  if (['Windows', 'macOS', 'Linux', 'ChromeOS'].includes(os)) return 'desktop';
  return 'unknown';
}

/**
 * { browser, os, device_type, known: {browser, os}, official, capable }
 * `browser` and `os` are short display strings (at most 60 characters, as the service allows).
 */
export function detectEnvironment(nav = navigator, win = window) {
  const ua = nav.userAgent || '';
  const hints = nav.userAgentData;
  const found = browserOf(ua);
  const os = osOf(ua, nav.maxTouchPoints || 0, hints?.platform);
  const browser = found.name ? `${found.name} ${found.version}` : null;
  return {
    browser: (browser ?? 'unknown').slice(0, 60),
    os: (os ?? 'unknown').slice(0, 60),
    device_type: deviceOf(ua, os, hints?.mobile === true),
    known: { browser: browser !== null, os: os !== null },
    official: SUPPORTED_BROWSERS.includes(found.name),
    capable:
      Boolean(win.isSecureContext) &&
      typeof win.RTCPeerConnection === 'function' &&
      typeof nav.mediaDevices?.getUserMedia === 'function',
  };
}
