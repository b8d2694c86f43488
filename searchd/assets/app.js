/* vnsearchd search page: the server renders the first page; this script
 * adds autocomplete (/api/suggest), searches through /api/search without
 * reloading, and keeps the whole state in the URL (history.pushState).
 * Every text goes into the page through textContent, never as HTML. */
(function () {
  "use strict";

  var form = document.getElementById("search");
  var out = document.getElementById("out");
  var box = document.getElementById("q");
  var list = document.getElementById("suggest");
  if (!form || !out || !box || !list) return;

  var KEYS = ["q", "province", "body", "type", "from", "to", "sort", "page"];
  var enc = new TextEncoder();
  var dec = new TextDecoder();
  var seq = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  function vnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso;
  }

  /* the parameters worth keeping: known keys, non-empty values */
  function clean(params) {
    var p = new URLSearchParams();
    params.forEach(function (v, k) {
      if (v !== "" && !p.has(k)) p.set(k, v);
    });
    if (p.get("page") === "1") p.delete("page");
    if (p.get("sort") === "relevance") p.delete("sort");
    return p;
  }

  /* the form's fields over the URL's other parameters (size...) */
  function fromForm() {
    var p = new URLSearchParams(location.search);
    KEYS.forEach(function (k) {
      var f = form.elements[k];
      p.delete(k);
      if (f && f.value.trim() !== "") p.set(k, k === "q" ? f.value.trim() : f.value);
    });
    return clean(p);
  }

  function toForm(p) {
    KEYS.forEach(function (k) {
      var f = form.elements[k];
      if (!f) return;
      var v = p.get(k) || (k === "sort" ? "relevance" : "");
      if (f.tagName === "SELECT" && v && !Array.prototype.some.call(f.options, function (o) { return o.value === v; }))
        f.appendChild(el("option", { value: v }, v));
      f.value = v;
    });
  }

  function wantsSearch(p) {
    var any = false;
    p.forEach(function (v, k) {
      if (v !== "" && ["sort", "page", "size"].indexOf(k) < 0) any = true;
    });
    return any;
  }

  function stateUrl(p) {
    var s = p.toString();
    return s ? "/?" + s : "/";
  }

  function linkWith(p, key, value) {
    var n = new URLSearchParams(p);
    n.delete("page");
    if (key !== "page") n.delete(key);
    n.set(key, value);
    return stateUrl(clean(n));
  }

  function snippet(sn) {
    var p = el("p", { class: "snippet" });
    var bytes = enc.encode(sn.text || "");
    var pos = 0;
    if (sn.cut_start) p.appendChild(document.createTextNode("… "));
    (sn.highlights || []).forEach(function (h) {
      var off = h[0], len = h[1];
      if (off < pos || len <= 0 || off + len > bytes.length) return;
      p.appendChild(document.createTextNode(dec.decode(bytes.subarray(pos, off))));
      p.appendChild(el("mark", null, dec.decode(bytes.subarray(off, off + len))));
      pos = off + len;
    });
    p.appendChild(document.createTextNode(dec.decode(bytes.subarray(pos))));
    if (sn.cut_end) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function hit(h) {
    var li = el("li", { class: "hit" });
    var h2 = el("h2", { class: "hit-title" });
    h2.appendChild(el("a", { href: "/doc/" + encodeURIComponent(h.id) }, h.title || h.id));
    li.appendChild(h2);
    var meta = el("p", { class: "hit-meta" });
    if (h.date) meta.appendChild(el("time", { datetime: h.date }, vnDate(h.date)));
    ["doc_type", "number", "issuing_body", "province"].forEach(function (k) {
      if (h[k]) meta.appendChild(el("span", { class: "f-" + k }, h[k]));
    });
    // a scanned notice: its text was recognized, so it may hold misreadings
    if (h.ocr === true) {
      var conf = typeof h.ocr_confidence === "number" ? " (độ tin cậy " + h.ocr_confidence + "%)" : "";
      meta.appendChild(el("span", { class: "ocr-badge", title: "Văn bản quét, nội dung nhận dạng bằng OCR" + conf }, "OCR"));
    }
    li.appendChild(meta);
    // a deadline question's answers, each with its sentence, come first;
    // the other deadlines follow as badges (the sentence in the title)
    var answers = (h.matching_deadlines || []).filter(function (d) { return d.date && d.text; });
    if (answers.length) {
      var al = el("ul", { class: "answers" });
      answers.forEach(function (d) {
        var a = el("li", { class: "answer" });
        a.appendChild(el("span", { class: "badge deadline match" }, "Hạn " + vnDate(d.date)));
        a.appendChild(document.createTextNode(" " + d.text));
        al.appendChild(a);
      });
      li.appendChild(al);
    }
    var rest = (h.deadlines || []).filter(function (d) {
      return d.date && !answers.some(function (a) { return a.date === d.date && a.text === d.text; });
    });
    if (rest.length) {
      var ul = el("ul", { class: "badges" });
      rest.forEach(function (d) {
        ul.appendChild(el("li", { class: "badge deadline", title: d.text || "" }, "Hạn " + vnDate(d.date)));
      });
      li.appendChild(ul);
    }
    (h.snippets || []).forEach(function (sn) { li.appendChild(snippet(sn)); });
    li.appendChild(el("p", { class: "hit-id" }, h.id));
    return li;
  }

  // show: the text of a value, when not the value itself
  function facetList(p, counts, key, label, show) {
    var names = Object.keys(counts || {});
    if (!names.length) return null;
    var sec = el("section", { class: "facet" });
    sec.appendChild(el("h2", null, label));
    var ul = el("ul");
    names.forEach(function (name) {
      var a = el("a", { href: linkWith(p, key, name) });
      if (p.get(key) === name) a.setAttribute("aria-current", "true");
      a.appendChild(el("span", null, show ? show(name) : name));
      a.appendChild(el("span", { class: "count" }, String(counts[name])));
      var li = el("li");
      li.appendChild(a);
      ul.appendChild(li);
    });
    sec.appendChild(ul);
    return sec;
  }

  function pager(p, total, page, size) {
    var last = Math.min(Math.ceil(total / size), Math.floor(10000 / size));
    if (last <= 1) return null;
    var nav = el("nav", { class: "pager", "aria-label": "Phân trang" });
    var ul = el("ul");
    for (var k = Math.max(1, page - 2); k <= Math.min(last, page + 2); k++) {
      var li = el("li");
      if (k === page) li.appendChild(el("span", { "aria-current": "page" }, String(k)));
      else li.appendChild(el("a", { href: linkWith(p, "page", String(k)), rel: k === page - 1 ? "prev" : k === page + 1 ? "next" : null }, String(k)));
      ul.appendChild(li);
    }
    nav.appendChild(ul);
    return nav;
  }

  function provinceOptions(counts, cur) {
    var sel = form.elements.province;
    if (!sel) return;
    while (sel.options.length > 1) sel.remove(1);
    var seen = false;
    Object.keys(counts || {}).forEach(function (name) {
      sel.appendChild(el("option", { value: name }, name + " (" + counts[name] + ")"));
      if (name === cur) seen = true;
    });
    if (cur && !seen) sel.appendChild(el("option", { value: cur }, cur));
    sel.value = cur || "";
  }

  function datalist(id, counts) {
    var dl = document.getElementById(id);
    if (!dl) return;
    dl.textContent = "";
    Object.keys(counts || {}).forEach(function (name) { dl.appendChild(el("option", { value: name })); });
  }

  /* The hook for "did you mean": shown when the API sends a suggestion. */
  function didYouMean(p, suggestion) {
    var dym = document.getElementById("didyoumean");
    if (!dym) return;
    dym.textContent = "";
    dym.hidden = !suggestion;
    if (!suggestion) return;
    dym.appendChild(document.createTextNode("Bạn có muốn tìm: "));
    dym.appendChild(el("a", { href: linkWith(p, "q", suggestion) }, suggestion));
    dym.appendChild(document.createTextNode("?"));
  }

  function message(cls, text) {
    var d = el("div", { class: "results" });
    d.appendChild(el("p", cls === "error" ? { class: cls, role: "alert" } : { class: cls }, text));
    return d;
  }

  function render(p, r, all) {
    var frag = document.createDocumentFragment();
    var layout = el("div", { class: "layout" });
    var aside = el("aside", { class: "facets", "aria-label": "Thống kê" });
    var f = r.facets || {};
    [["province", "province", "Tỉnh, thành phố"], ["issuing_body", "body", "Cơ quan ban hành"], ["doc_type", "type", "Loại văn bản"]].forEach(function (x) {
      var s = facetList(p, f[x[0]], x[1], x[2]);
      if (s) aside.appendChild(s);
    });
    // the scans among the matches: "ocr": {"1": count}
    var scans = facetList(p, f.ocr, "ocr", "Nguồn", function () { return "Bản quét (OCR)"; });
    if (scans) aside.appendChild(scans);
    var sec = el("section", { id: "results", class: "results", "aria-live": "polite" });
    var page = r.page || 1, size = r.size || 10, total = r.total || 0;
    if (r.partial) {
      sec.appendChild(el("p", { class: "partial", role: "status" },
        "Kết quả chưa đầy đủ: " + (r.missing_shards || []).length + " phân vùng chỉ mục không trả lời (" + (r.missing_shards || []).join(", ") + ")."));
    }
    if (total === 0) {
      sec.appendChild(el("p", { class: "summary" }, "Không tìm thấy văn bản nào. Hãy thử bớt từ khóa hoặc bỏ bớt bộ lọc."));
    } else {
      var sum = el("p", { class: "summary" }, "Tìm thấy ");
      sum.appendChild(el("strong", null, (r.total_exact ? "" : "khoảng ") + total));
      sum.appendChild(document.createTextNode(" văn bản" + (page > 1 ? " — trang " + page : "")));
      sec.appendChild(sum);
    }
    var ol = el("ol", { class: "hits", start: String((page - 1) * size + 1) });
    (r.hits || []).forEach(function (h) { ol.appendChild(hit(h)); });
    sec.appendChild(ol);
    var pg = pager(p, total, page, size);
    if (pg) sec.appendChild(pg);
    layout.appendChild(aside);
    layout.appendChild(sec);
    frag.appendChild(layout);
    out.textContent = "";
    out.appendChild(frag);
    provinceOptions(((all || r).facets || {}).province, p.get("province"));
    datalist("l-body", f.issuing_body);
    datalist("l-type", f.doc_type);
    didYouMean(p, r.suggestion);
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (res) {
      return res.json().then(function (j) {
        if (!res.ok) throw new Error(j && j.message ? j.message : "HTTP " + res.status);
        return j;
      });
    });
  }

  function load(p, push) {
    var my = ++seq;
    if (push) history.pushState(null, "", stateUrl(p));
    toForm(p);
    if (!wantsSearch(p)) {
      out.textContent = "";
      out.appendChild(message("intro", "Gõ từ khóa có dấu hoặc không dấu; dùng \"ngoặc kép\" cho cụm từ, dấu trừ (-) để loại từ."));
      didYouMean(p, null);
      return Promise.resolve();
    }
    document.body.classList.add("loading");
    var jobs = [getJson("/api/search?" + p.toString())];
    if (p.get("province")) {
      var q = new URLSearchParams(p);
      q.delete("province");
      q.delete("page");
      q.set("size", "1");
      jobs.push(wantsSearch(q) ? getJson("/api/search?" + q.toString()).catch(function () { return null; }) : Promise.resolve(null));
    }
    return Promise.all(jobs).then(function (rs) {
      if (my !== seq) return;
      render(p, rs[0], rs[1]);
      document.title = (p.get("q") ? p.get("q") + " — " : "") + "Tra cứu văn bản";
    }).catch(function (e) {
      if (my !== seq) return;
      out.textContent = "";
      out.appendChild(message("error", e.message));
    }).then(function () {
      if (my === seq) document.body.classList.remove("loading");
    });
  }

  /* ---- autocomplete ---- */
  var timer = 0, active = -1, items = [], sseq = 0;

  function closeList() {
    list.hidden = true;
    list.textContent = "";
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    items = [];
    active = -1;
  }

  function setActive(i) {
    var lis = list.children;
    for (var k = 0; k < lis.length; k++) lis[k].setAttribute("aria-selected", k === i ? "true" : "false");
    active = i;
    if (i >= 0) box.setAttribute("aria-activedescendant", "sug-" + i);
    else box.removeAttribute("aria-activedescendant");
  }

  function pick(i) {
    if (!items[i]) return;
    box.value = items[i].text;
    closeList();
    box.focus();
  }

  function suggest() {
    var v = box.value;
    var my = ++sseq;
    if (v.trim() === "") { closeList(); return; }
    getJson("/api/suggest?q=" + encodeURIComponent(v)).then(function (r) {
      if (my !== sseq || box.value !== v) return;
      list.textContent = "";
      items = (r.suggestions || []).slice(0, 8);
      if (!items.length || document.activeElement !== box) { closeList(); return; }
      items.forEach(function (s, i) {
        var li = el("li", { id: "sug-" + i, role: "option", "aria-selected": "false" });
        li.appendChild(el("span", null, s.text));
        if (s.count != null) li.appendChild(el("span", { class: "count" }, String(s.count)));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      active = -1;
    }).catch(closeList);
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  box.addEventListener("keydown", function (ev) {
    if (list.hidden) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); setActive(Math.min(active + 1, items.length - 1)); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); setActive(Math.max(active - 1, -1)); }
    else if (ev.key === "Escape") { ev.preventDefault(); closeList(); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); pick(active); }
  });
  box.addEventListener("blur", function () { setTimeout(closeList, 100); });

  /* ---- the search itself ---- */
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearTimeout(timer);
    sseq++;
    closeList();
    var p = fromForm();
    p.delete("page");
    load(p, true);
  });
  ["province", "sort"].forEach(function (k) {
    var f = form.elements[k];
    if (f) f.addEventListener("change", function () {
      var p = fromForm();
      p.delete("page");
      load(p, true);
    });
  });
  /* links inside the results that only change the state */
  out.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a") : null;
    if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    var u = new URL(a.href, location.href);
    if (u.origin !== location.origin || u.pathname !== "/") return;
    ev.preventDefault();
    load(clean(u.searchParams), true).then(function () {
      var r = document.getElementById("results");
      if (r) r.scrollIntoView({ block: "start" });
    });
  });
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("#didyoumean a") : null;
    if (!a) return;
    ev.preventDefault();
    load(clean(new URL(a.href, location.href).searchParams), true);
  });
  window.addEventListener("popstate", function () {
    load(clean(new URLSearchParams(location.search)), false);
  });
})();
