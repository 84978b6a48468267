#include "markup.hpp"

#include <cmath>
#include <cstdio>

namespace gridlock::report::markup {

std::string esc(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    case '\0': out += "&#65533;"; break; // NUL is not allowed in HTML text
    default: out += c;
    }
  }
  return out;
}

std::string where(const location &l) {
  if (l.file.empty()) return "";
  return esc(l.file) + ":" + std::to_string(l.line) +
         (l.column ? ":" + std::to_string(l.column) : "");
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::isfinite(v) ? v : 0.0);
  return buf;
}

std::string shorten(const std::string &s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut; // continuation
  return s.substr(0, cut) + "\u2026";
}

} // namespace gridlock::report::markup
