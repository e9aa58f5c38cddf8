// Connection-string helpers of io/postgis.hpp (no GDAL here; the writer is in detail/postgis.cpp).
#include "io/postgis.hpp"

#include <cctype>

namespace parksim::io {

bool is_pg_connection(std::string_view destination) noexcept { return destination.starts_with("PG:"); }

namespace {

// Masks the password of a URI's authority "scheme://user:password@host" starting at `begin` (just after "://").
void mask_uri(std::string& text, std::size_t begin) {
  const std::size_t end = text.find_first_of("/?# ", begin);
  const std::size_t at = text.rfind('@', end == std::string::npos ? text.size() : end);
  if (at == std::string::npos || at < begin) return;
  const std::size_t colon = text.find(':', begin);
  if (colon == std::string::npos || colon > at) return;
  text.replace(colon + 1, at - colon - 1, "***");
}

bool keyword_start(const std::string& text, std::size_t pos) {
  return pos == 0 || std::isspace(static_cast<unsigned char>(text[pos - 1])) != 0 || text[pos - 1] == ':';
}

}  // namespace

std::string mask_pg_password(std::string_view connection) {
  std::string text(connection);
  for (const char* scheme : {"postgresql://", "postgres://"}) {
    for (std::size_t pos = text.find(scheme); pos != std::string::npos; pos = text.find(scheme, pos + 1)) {
      mask_uri(text, pos + std::string_view(scheme).size());
    }
  }
  // keyword/value form: password = value, password='quoted \' value'; also in a URI query (password=value&...).
  const std::string key = "password";
  for (std::size_t pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + 1)) {
    if (!keyword_start(text, pos) && text[pos - 1] != '?' && text[pos - 1] != '&') continue;
    std::size_t p = pos + key.size();
    while (p < text.size() && text[p] == ' ') ++p;
    if (p >= text.size() || text[p] != '=') continue;
    ++p;
    while (p < text.size() && text[p] == ' ') ++p;
    std::size_t end = p;
    if (end < text.size() && text[end] == '\'') {
      ++end;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = end < text.size() ? end + 1 : text.size();
    } else {
      while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0 && text[end] != '&') ++end;
    }
    text.replace(p, end - p, "***");
  }
  return text;
}

}  // namespace parksim::io
