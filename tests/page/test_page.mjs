// The search page of vnsearchd in Debian's headless Chromium, driven by
// playwright-core (never a downloaded browser). Prints "ok N - what" lines.
// Env: VNS_URL (daemon base URL), VNS_ARTIFACTS (screenshot folder),
// VNS_N (tests already counted by the shell wrapper).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = process.env.VNS_URL;
const artifacts = process.env.VNS_ARTIFACTS || tmpdir();
let n = Number(process.env.VNS_N || 0);
let failed = 0;

function ok(what) {
  console.log(`ok ${++n} - ${what}`);
}
function notOk(what, why) {
  failed++;
  console.log(`not ok ${++n} - ${what}`);
  if (why) console.log(`#   ${String(why).split("\n")[0]}`);
}
async function check(what, fn) {
  try {
    const r = await fn();
    if (r === false) notOk(what);
    else ok(what);
  } catch (e) {
    notOk(what, e && e.message ? e.message : e);
  }
}
// page.waitForFunction evals a string, which the page's CSP forbids
async function waitUntil(p, fn, arg) {
  const end = Date.now() + T;
  for (;;) {
    if (await p.evaluate(fn, arg)) return;
    if (Date.now() > end) throw new Error("timed out: " + fn.toString().slice(0, 80));
    await new Promise((r) => setTimeout(r, 100));
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const T = 10000;
const profiles = [];
async function launch(options) {
  const dir = mkdtempSync(join(tmpdir(), "vns-chromium-"));
  profiles.push(dir);
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.VNS_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 900 },
    locale: "vi-VN",
    ...options,
  });
}

let ctx;
try {
  ctx = await launch({});
} catch (e) {
  console.log(`ok ${++n} - # skip chromium cannot start: ${String(e.message).split("\n")[0]}`);
  process.exit(0);
}

const page = ctx.pages()[0] || (await ctx.newPage());
page.setDefaultTimeout(T);
const dialogs = [];
const errors = [];
page.on("dialog", (d) => {
  dialogs.push(d.message());
  d.dismiss().catch(() => {});
});
page.on("pageerror", (e) => errors.push(e.message));
page.on("console", (m) => {
  if (m.type() === "error") errors.push(m.text());
});

const NT = "ninh-thuan-2021-11-29-thong-bao-ket-luan.txt";

await check("the page at / loads with its CSP, script and style", async () => {
  const res = await page.goto(base + "/");
  assert(res.status() === 200, "status " + res.status());
  assert((res.headers()["content-security-policy"] || "").includes("default-src 'self'"), "no CSP");
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector(".top")).backgroundColor);
  assert(bg !== "rgba(0, 0, 0, 0)", "app.css not applied");
  assert((await page.locator("html").getAttribute("lang")) === "vi", "lang");
});

await check("keyboard only: Tab reaches the search box", async () => {
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === "q")) return;
  }
  throw new Error("Tab never reached #q");
});

await check("typing `tiem` shows suggestions (tiêm)", async () => {
  await page.keyboard.type("tiem", { delay: 30 });
  // the list may first show the words for "t" or "ti" on a slow machine
  const seen = () => [...document.querySelectorAll("#suggest li")].map((li) => li.textContent);
  try {
    await waitUntil(page, () => !document.querySelector("#suggest").hidden && [...document.querySelectorAll("#suggest li")].some((li) => li.textContent.includes("tiêm")));
  } catch (e) {
    throw new Error("suggestions: " + (await page.evaluate(seen)).join(" | "));
  }
  assert((await page.locator("#q").getAttribute("aria-expanded")) === "true", "aria-expanded");
});

await check("typing ` mui 2` and Enter searches; the URL holds q", async () => {
  await page.keyboard.type(" mui 2", { delay: 30 });
  await page.keyboard.press("Enter");
  await page.waitForURL(/[?&]q=tiem(\+|%20)mui(\+|%20)2/);
  await page.locator(".hit").first().waitFor();
  assert((await page.locator(".hit").count()) >= 2, "few hits");
  assert(await page.locator("#suggest").isHidden(), "suggestions still open");
});

await check("the province filter lists counts and filters to Ninh Thuận", async () => {
  const opts = await page.locator("#f-province option").allTextContents();
  assert(opts.some((t) => /Ninh Thuận \(\d+\)/.test(t)), "options: " + opts.join(" | "));
  await page.selectOption("#f-province", "Ninh Thuận");
  await page.waitForURL(/province=Ninh/);
  await waitUntil(page, () => {
    const p = [...document.querySelectorAll(".hit .f-province")].map((e) => e.textContent);
    return p.length > 0 && p.every((t) => t === "Ninh Thuận");
  });
});

await check("the expected notice is there with <mark>mũi</mark>", async () => {
  const hit = page.locator(".hit", { has: page.locator(`a[href="/doc/${NT}"]`) });
  await hit.waitFor();
  const marks = await hit.locator("mark").allTextContents();
  assert(marks.some((m) => m.toLowerCase() === "mũi"), "marks: " + marks.join(","));
  assert((await hit.locator(".badge.deadline").count()) > 0, "no deadline badge");
});

const resultsUrl = page.url();
await check("a result link opens the document page /doc/{id}", async () => {
  await page.locator(`a[href="/doc/${NT}"]`).click();
  await page.waitForURL(new RegExp("/doc/" + NT.replace(/\./g, "\\.")));
  const h1 = await page.locator("h1").textContent();
  assert(/THÔNG BÁO KẾT LUẬN/.test(h1), "h1: " + h1);
  assert((await page.locator(".fields").textContent()).includes("Ninh Thuận"), "fields");
  assert((await page.locator(".doctext").textContent()).includes("mũi 2"), "text");
  await page.screenshot({ path: join(artifacts, "page-doc.png") });
});

await check("back restores the URL state (query, province, results)", async () => {
  await page.goBack();
  await page.waitForURL(resultsUrl);
  await page.locator(`a[href="/doc/${NT}"]`).waitFor();
  assert((await page.inputValue("#q")) === "tiem mui 2", "q: " + (await page.inputValue("#q")));
  assert((await page.inputValue("#f-province")) === "Ninh Thuận", "province");
});

await check("back once more drops the province (pushState history)", async () => {
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes("province") && u.search.includes("q="));
  await waitUntil(page, () => document.querySelector("#f-province").value === "");
  await waitUntil(page, () => new Set([...document.querySelectorAll(".hit .f-province")].map((e) => e.textContent)).size > 1);
});

await check("pagination and sorting go into the URL", async () => {
  await page.goto(base + "/?q=t%E1%BB%89nh&size=2");
  await page.locator(".pager a[rel=next]").click();
  await page.waitForURL(/page=2/);
  await page.locator(".pager [aria-current=page]", { hasText: "2" }).waitFor();
  await page.selectOption("#f-sort", "date");
  await page.waitForURL(/sort=date/);
  assert(!/page=2/.test(page.url()), "page kept after sort change");
  const dates = await page.locator(".hit time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")));
  assert(dates.length > 0 && dates.join() === [...dates].sort().reverse().join(), "dates " + dates);
});

await check("phone width (375px): no horizontal scroll", async () => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(resultsUrl);
  await page.locator(".hit").first().waitFor();
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert(w[0] <= w[1], `scrollWidth ${w[0]} > ${w[1]}`);
  const shot = join(artifacts, "page-phone.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log("# screenshot: " + shot);
});

await check("desktop screenshot", async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(resultsUrl);
  await page.locator(".hit").first().waitFor();
  const shot = join(artifacts, "page-desktop.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log("# screenshot: " + shot);
});

// a deadline question: each hit's answering deadlines with their
// sentences before anything else, and not again among its badges
async function answersShown(p) {
  const hit = p.locator(".hit").first();
  await hit.waitFor();
  const answers = await hit.locator(".answers .answer").allTextContents();
  assert(answers.length > 0, "no answer");
  assert(/^Hạn \d\d\/\d\d\/\d{4} .*mũi 2/.test(answers[0]), "answer: " + answers[0]);
  const titles = await hit.locator(".badges .badge.deadline").evaluateAll((els) => els.map((e) => e.title));
  for (const a of answers) {
    assert(!titles.some((t) => t && a.endsWith(" " + t)), "repeated as a badge: " + a);
  }
}
await check("a deadline question shows the answering sentence first", async () => {
  await page.goto(base + "/");
  await page.fill("#q", "tiêm mũi 2 deadline");
  await page.press("#q", "Enter");
  await page.waitForURL(/deadline/);
  await waitUntil(page, () => document.querySelector(".hit .answers") !== null);
  await answersShown(page);
  await page.screenshot({ path: join(artifacts, "page-deadline.png") });
});

const XSS_SCRIPT = "<script>alert(1)</script>";
const XSS_IMG = '"><img src=x onerror=alert(1)>';
const XSS_DOC = 'a[href="/doc/xss-thong-bao.html"]';
await check("XSS fixture: search results show the markup as text", async () => {
  await page.goto(base + "/?q=xsskiemtra");
  await page.locator(XSS_DOC).first().waitFor();
  assert((await page.locator('a[href="/doc/xss-raw.txt"]').count()) === 1, "raw fixture");
  const text = await page.locator("#results").textContent();
  assert(text.includes(XSS_SCRIPT), "script text missing");
  assert(text.includes("<img src=x onerror=alert(1)>"), "img text missing");
  assert((await page.locator("img").count()) === 0, "an <img> was made");
  assert((await page.locator("script").count()) === 1, "an extra <script>");
});

await check("XSS fixture: the JS-rendered results show it as text too", async () => {
  await page.fill("#q", "xsskiemtra alert");
  await page.press("#q", "Enter");
  await page.waitForURL(/alert/);
  await waitUntil(page, () => document.querySelector("#results") && document.querySelector("#results").textContent.includes("<script>alert(1)</script>"));
  assert((await page.locator("img").count()) === 0, "an <img> was made");
});

await check("XSS fixture: the document page shows it as text", async () => {
  await page.locator(XSS_DOC).first().click();
  await page.waitForURL(/xss-thong-bao/);
  const text = await page.locator(".doctext").textContent();
  assert(text.includes(XSS_SCRIPT) && text.includes(XSS_IMG), "payload text missing");
  const fields = await page.locator(".fields").textContent();
  assert(fields.includes(XSS_SCRIPT) && fields.includes(XSS_IMG), "fields");
  assert((await page.locator("h1").textContent()).includes(XSS_SCRIPT), "title");
  await page.goto(base + "/doc/xss-raw.txt");
  assert((await page.locator("img").count()) === 0, "an <img> was made");
});

await check("XSS in the query: kept as the box's value, no markup", async () => {
  await page.goto(base + "/?q=" + encodeURIComponent(XSS_IMG + " " + XSS_SCRIPT));
  assert((await page.inputValue("#q")) === XSS_IMG + " " + XSS_SCRIPT, "value changed");
  assert((await page.locator("img").count()) === 0, "an <img> was made");
  assert((await page.locator("script").count()) === 1, "an extra <script>");
});

await check("no dialog fired and no script error", async () => {
  await page.waitForTimeout(300);
  assert(dialogs.length === 0, "dialogs: " + dialogs.join(","));
  const real = errors.filter((e) => !/status of 4\d\d/.test(e));
  assert(real.length === 0, "errors: " + real.join(" | "));
});

await ctx.close();

let nojs;
await check("without JavaScript: the server-rendered results are there", async () => {
  nojs = await launch({ javaScriptEnabled: false });
  const p = nojs.pages()[0] || (await nojs.newPage());
  p.setDefaultTimeout(T);
  await p.goto(base + "/?q=tiem+mui+2&province=" + encodeURIComponent("Ninh Thuận"));
  const hit = p.locator(".hit", { has: p.locator(`a[href="/doc/${NT}"]`) });
  assert((await hit.count()) === 1, "hit missing");
  const marks = await hit.locator("mark").allTextContents();
  assert(marks.some((m) => m.toLowerCase() === "mũi"), "marks");
  assert((await p.locator("#f-province").inputValue()) === "Ninh Thuận", "province");
});

await check("without JavaScript: a deadline question's answer comes first", async () => {
  const p = nojs.pages()[0];
  await p.goto(base + "/?q=" + encodeURIComponent("tiêm mũi 2 deadline"));
  await answersShown(p);
});

await check("without JavaScript: the form submits to a server-rendered page", async () => {
  const p = nojs.pages()[0];
  await p.goto(base + "/");
  await p.fill("#q", "tiem mui 2");
  await p.press("#q", "Enter");
  await p.waitForURL(/q=tiem/);
  assert((await p.locator(".hit").count()) >= 2, "no hits");
});

if (nojs) await nojs.close();
for (const d of profiles) rmSync(d, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
