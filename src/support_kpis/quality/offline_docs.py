"""Make Great Expectations' Data Docs work without internet.

GX's page templates load Bootstrap, jQuery, Font Awesome, bootstrap-table,
bootstrap-datepicker, Popper, vega and a dark-mode stylesheet from CDNs, and
the logo from GX's web server. After GX writes the site, every such URL is
replaced by a file under the site's `static/` folder, copied from a pinned
PyPI package, or dropped with the feature that needs it:

- Bootstrap 4.3.1 CSS and JS: Bootstrap 4.5.3 (XStatic-Bootstrap); the JS
  as Bootstrap's bundle, which includes Popper, so Popper 1.12.9 is dropped;
- jQuery 3.7.1: jQuery 3.7.1 (XStatic-jQuery);
- Font Awesome 6.6.0: Font Awesome 6.2.1 (XStatic-Font-Awesome);
- vega 5, vega-lite 5, vega-embed 6: vega 5.33, vega-lite 5.23 and
  vega-embed 6.29 (django-js-lib-vega-embed, which needs no Django);
- bootstrap-table 1.19.1 is not on PyPI: TABLES_JS, a small script of ours,
  renders the index page's two tables (sortable by a click on a header, each
  row a link; no search box, filter controls or pagination), and the
  filter-control extension and bootstrap-datepicker 1.9.0, which only serve
  the filter controls, are dropped;
- @forevolve/bootstrap-dark 1.1.0 is not on PyPI: dropped, together with
  GX's own dark-mode overrides (which alone would give a half-dark page), so
  the pages are always light;
- the GX logo: the site's own `static/images/logo-long.png`.

An external script, stylesheet or image URL that is not in REPLACEMENTS stops
the run (OfflineDocsError): a GX upgrade that adds one must be handled here,
never left to load from the internet.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


class OfflineDocsError(RuntimeError):
    """The Data Docs load something from the internet that has no local copy."""


@dataclass(frozen=True)
class Asset:
    package: str  # the importable package holding the file
    source: str  # its path inside the package
    target: str  # where it goes, relative to the site's root


BOOTSTRAP_CSS = Asset(
    "xstatic.pkg.bootstrap",
    "data/css/bootstrap.min.css",
    "static/vendor/bootstrap/bootstrap.min.css",
)
BOOTSTRAP_JS = Asset(
    "xstatic.pkg.bootstrap",
    "data/js/bootstrap.bundle.min.js",
    "static/vendor/bootstrap/bootstrap.bundle.min.js",
)
JQUERY = Asset("xstatic.pkg.jquery", "data/jquery.min.js", "static/vendor/jquery/jquery.min.js")
FONT_AWESOME = Asset(
    "xstatic.pkg.font_awesome", "data/css/all.min.css", "static/vendor/font-awesome/css/all.min.css"
)
FONT_AWESOME_FILES = [
    Asset("xstatic.pkg.font_awesome", "data/LICENSE.txt", "static/vendor/font-awesome/LICENSE.txt"),
    *(
        Asset(
            "xstatic.pkg.font_awesome",
            f"data/webfonts/{name}.{kind}",
            f"static/vendor/font-awesome/webfonts/{name}.{kind}",
        )
        for name in ("fa-brands-400", "fa-regular-400", "fa-solid-900", "fa-v4compatibility")
        for kind in ("woff2", "ttf")
    ),
]
_VEGA_DIR = "static/js_lib_vega_embed"
VEGA = Asset("js_lib_vega_embed", f"{_VEGA_DIR}/vega5.js", "static/vendor/vega/vega5.js")
VEGA_LITE = Asset(
    "js_lib_vega_embed", f"{_VEGA_DIR}/vega-lite5.js", "static/vendor/vega/vega-lite5.js"
)
VEGA_EMBED = Asset(
    "js_lib_vega_embed", f"{_VEGA_DIR}/vega-embed6.js", "static/vendor/vega/vega-embed6.js"
)
TABLES_SCRIPT = "static/scripts/data-docs-tables.js"
LOGO = "static/images/logo-long.png"

# Every external URL (without its query) GX 1.24's templates load, and the
# file under the site's root that replaces it; None drops the tag.
REPLACEMENTS: dict[str, str | None] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": BOOTSTRAP_CSS.target,
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": BOOTSTRAP_JS.target,
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": None,
    "https://code.jquery.com/jquery-3.7.1.min.js": JQUERY.target,
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        FONT_AWESOME.target
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": VEGA.target,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": VEGA_LITE.target,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": VEGA_EMBED.target,
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": TABLES_SCRIPT,
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": None,
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": None,
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": None,
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": None,
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": None,
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": None,
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": None,
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": LOGO,
}

# Stands in for bootstrap-table (not packaged on PyPI) on the index page: GX
# calls $(table).bootstrapTable({columns, data, sortName, ...}) and listens
# for 'click-row.bs.table'. Renders the rows, sorted as GX asks and by a
# click on a sortable header; each row opens its page.
TABLES_JS = r"""/* Data Docs tables without bootstrap-table: written by support-kpis. */
(function ($) {
  "use strict";
  function named(value) {
    return typeof value === "string" ? window[value] : value;
  }
  function sortKey(columns, field) {
    var column = columns.filter(function (c) { return c.field === field; })[0];
    return (column && column.sortName) || field;
  }
  function render($table, options, columns, key, order) {
    var rows = (options.data || []).slice();
    if (key) {
      var sign = order === "desc" ? -1 : 1;
      rows.sort(function (a, b) {
        return a[key] < b[key] ? -sign : a[key] > b[key] ? sign : 0;
      });
    }
    var attributes = named(options.rowAttributes);
    var style = named(options.rowStyle);
    var $head = $("<tr>");
    columns.forEach(function (column) {
      var $cell = $("<th>").text(column.title || "").css("text-align", column.align || "");
      if (String(column.sortable) === "true") {
        var own = column.sortName || column.field;
        var next = key === own && order === "asc" ? "desc" : "asc";
        $cell.css("cursor", "pointer").attr("aria-sort", key === own ? order + "ending" : "none");
        $cell.append(key === own ? (order === "asc" ? " \u25B2" : " \u25BC") : "");
        $cell.on("click", function () { render($table, options, columns, own, next); });
      }
      $head.append($cell);
    });
    var $body = $("<tbody>");
    rows.forEach(function (row, index) {
      var $row = $("<tr>");
      if (attributes) { $row.attr(attributes(row, index)); }
      if (style) { $row.css((style(row, index) || {}).css || {}); }
      columns.forEach(function (column) {
        var value = row[column.field];
        $("<td>").html(value === undefined || value === null ? "" : String(value))
          .css("text-align", column.align || "").appendTo($row);
      });
      $row.on("click", function () { $table.trigger("click-row.bs.table", [row, $row]); });
      $body.append($row);
    });
    $table.empty().append($("<thead>").append($head), $body);
  }
  $.fn.bootstrapTable = function (options) {
    if (typeof options !== "object" || options === null) {
      return this;  // methods such as 'resetSearch': there are no filters to reset
    }
    return this.each(function () {
      var $table = $(this).addClass("table table-hover");
      if (!$table.parent().hasClass("table-responsive")) {
        $table.wrap('<div class="table-responsive"></div>');
      }
      if (options.toolbar) { $(options.toolbar).remove(); }  // its only button clears filters
      var columns = (options.columns || []).filter(function (c) {
        return String(c.visible) !== "false";
      });
      var key = options.sortName ? sortKey(columns, options.sortName) : null;
      render($table, options, columns, key, options.sortOrder === "desc" ? "desc" : "asc");
    });
  };
})(jQuery);
"""

_TAG = re.compile(r"<(script|link|img)\b([^>]*)>(?:\s*</script>)?", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s(src|href)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_STATIC = re.compile(r"^(?:\.{1,2}/)*(static/.+)$")
_DARK_MODE = re.compile(
    r"/\*\s*some css overrides for dark mode\s*\*/\s*@media\s*\(prefers-color-scheme:\s*dark\)"
    r"\s*\{.*?\n\}",
    re.DOTALL,
)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_EXTERNAL_ANYWHERE = re.compile(
    r"""<(?:script|link|img|iframe|source|embed|object)\b[^>]*\s(?:src|href|data)\s*=\s*["']"""
    r"""(?:https?:)?//[^"']*|url\(\s*["']?(?:https?:)?//[^)]*\)|@import\s+["'](?:https?:)?//[^"']*""",
    re.IGNORECASE,
)
_SOURCE_MAP = re.compile(rb"\n?/[/*]# sourceMappingURL=[^\n]*")


def _copy(asset: Asset, site: Path) -> None:
    source = files(asset.package).joinpath(asset.source)
    target = site / asset.target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Source maps are not shipped: drop the comment that points to them.
    target.write_bytes(_SOURCE_MAP.sub(b"", source.read_bytes()))


def _relative(target: str, page: Path, site: Path) -> str:
    return Path(os.path.relpath(site / target, page.parent)).as_posix()


def _rewrite_tag(match: re.Match[str], page: Path, site: Path) -> str:
    tag, attributes = match.group(1).lower(), match.group(2)
    found = _ATTRIBUTE.search(attributes)
    if found is None:
        return match.group(0)
    url = found.group(3)
    local = _STATIC.match(url)
    if local:
        # GX writes some of these one folder too shallow (the favicon of a
        # validation page): point each at the file in this site.
        new_url = _relative(local.group(1), page, site)
    elif _EXTERNAL.match(url):
        base = url.split("?", 1)[0].split("#", 1)[0]
        if base not in REPLACEMENTS:
            raise OfflineDocsError(
                f"{page}: <{tag}> loads {url}, which has no local copy "
                "(add it to support_kpis.quality.offline_docs.REPLACEMENTS)"
            )
        target = REPLACEMENTS[base]
        if target is None:
            return ""
        new_url = _relative(target, page, site)
        # Integrity hashes and CORS mode describe the CDN's file, not ours.
        attributes = re.sub(
            r"""\s(?:integrity|crossorigin)(?:\s*=\s*(["']).*?\1)?""", "", attributes
        )
        found = _ATTRIBUTE.search(attributes)
        assert found is not None
    else:
        return match.group(0)
    attributes = (
        attributes[: found.start()]
        + f" {found.group(1)}={found.group(2)}{new_url}{found.group(2)}"
        + attributes[found.end() :]
    )
    closing = "</script>" if tag == "script" else ""
    return f"<{match.group(1)}{attributes}>{closing}"


def make_offline(site: Path) -> list[Path]:
    """Copy the local assets into `site`/static and point every page at them.

    Returns the pages rewritten. Raises OfflineDocsError if a page still loads
    anything from the internet."""
    for asset in (
        BOOTSTRAP_CSS,
        BOOTSTRAP_JS,
        JQUERY,
        FONT_AWESOME,
        *FONT_AWESOME_FILES,
        VEGA,
        VEGA_LITE,
        VEGA_EMBED,
    ):
        _copy(asset, site)
    (site / TABLES_SCRIPT).parent.mkdir(parents=True, exist_ok=True)
    (site / TABLES_SCRIPT).write_text(TABLES_JS, encoding="utf-8")
    if not (site / LOGO).is_file():
        raise OfflineDocsError(f"{site / LOGO} is missing: GX did not write its static images")
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        html = _DARK_MODE.sub("", html)
        html = _TAG.sub(lambda match, page=page: _rewrite_tag(match, page, site), html)
        left = _EXTERNAL_ANYWHERE.search(html)
        if left:
            raise OfflineDocsError(f"{page}: still loads from the internet: {left.group(0)[:200]}")
        page.write_text(html, encoding="utf-8")
    return pages
