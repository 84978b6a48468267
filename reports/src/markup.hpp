// markup: what every HTML/SVG renderer of the reports shares (internal to reports/).
#pragma once

#include <gridlock/report/report.hpp>

#include <string>

namespace gridlock::report::markup {

// Escapes text for HTML and SVG, in element content and in quoted attribute values. Every
// program-supplied string (names, paths, messages, source text) goes through here.
std::string esc(const std::string &s);

// "file:line[:column]" (escaped), or "" without a file.
std::string where(const location &l);

// A number for an SVG coordinate (one decimal).
std::string num(double v);

// s cut to at most n characters (on a UTF-8 boundary), with "…" when cut: labels stay readable.
std::string shorten(const std::string &s, std::size_t n);

} // namespace gridlock::report::markup
