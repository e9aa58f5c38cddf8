#include "core/error.hpp"

#include <fmt/format.h>

namespace parksim {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::usage: return "usage";
    case ErrorCode::config: return "config";
    case ErrorCode::input: return "input";
    case ErrorCode::data: return "data";
    case ErrorCode::crs: return "crs";
    case ErrorCode::geometry: return "geometry";
    case ErrorCode::output: return "output";
    case ErrorCode::output_exists: return "output_exists";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::infeasible: return "infeasible";
    case ErrorCode::database: return "database";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

bool Context::empty() const noexcept {
  return path.empty() && layer.empty() && !feature_id && feature_key.empty() && key.empty() && !line &&
         !coordinate;
}

std::string Context::to_string() const {
  std::string out;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ": ";
    out += part;
  };
  if (!path.empty()) {
    out = path;
    if (line) out += fmt::format(":{}", *line);
  } else if (line) {
    add(fmt::format("line {}", *line));
  }
  if (!layer.empty()) add(fmt::format("layer '{}'", layer));
  if (feature_id && !feature_key.empty()) {
    add(fmt::format("feature {} ({})", *feature_id, feature_key));
  } else if (feature_id) {
    add(fmt::format("feature {}", *feature_id));
  } else if (!feature_key.empty()) {
    add(fmt::format("feature {}", feature_key));
  }
  if (!key.empty()) add(fmt::format("'{}'", key));
  if (coordinate) add(fmt::format("at ({:.3f}, {:.3f})", coordinate->x, coordinate->y));
  return out;
}

namespace {
std::string compose(const std::string& message, const Context& context) {
  return context.empty() ? message : context.to_string() + ": " + message;
}
}  // namespace

Error::Error(ErrorCode code, std::string message, Context context)
    : std::runtime_error(compose(message, context)),
      m_code(code),
      m_message(std::move(message)),
      m_context(std::move(context)) {}

}  // namespace parksim
