#include "api_config.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gridlock::analyzer {
namespace {

std::vector<api_function> functions(const nlohmann::json &j, const char *key, const char *file) {
  std::vector<api_function> out;
  if (!j.contains(key)) return out;
  if (!j.at(key).is_array())
    throw std::runtime_error(std::string(file) + ": '" + key + "' must be an array");
  for (const auto &f : j.at(key)) {
    api_function a;
    a.name = f.at("function").get<std::string>();
    a.peer = f.value("peer", 0u);
    a.blocking = f.value("blocking", true);
    if (a.name.empty())
      throw std::runtime_error(std::string(file) + ": empty function name in '" + key + "'");
    out.push_back(a);
  }
  return out;
}

} // namespace

api_config load_api(const std::string &spec) {
  if (spec == "gridlock") return api_config{};
  if (spec == "mpi") {
    api_config mpi;
    mpi.gridlock = false;
    mpi.mpi = true;
    return mpi;
  }
  std::ifstream in(spec);
  if (!in) throw std::runtime_error("cannot read --api file '" + spec + "'");
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) throw std::runtime_error("cannot read --api file '" + spec + "'");
  return parse_api(text.str(), spec);
}

api_config parse_api(const std::string &text, const std::string &spec) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (!j.is_object()) throw std::runtime_error(spec + ": expected a JSON object");
    api_config c;
    c.gridlock = false;
    c.sends = functions(j, "send", spec.c_str());
    c.receives = functions(j, "receive", spec.c_str());
    c.any = j.value("any", std::string("ANY"));
    if (j.contains("processes")) {
      const auto &p = j.at("processes");
      if (p.is_array())
        for (const auto &name : p)
          c.processes.emplace_back(name.get<std::string>(), name.get<std::string>());
      else if (p.is_object())
        for (const auto &[id, fn] : p.items()) c.processes.emplace_back(id, fn.get<std::string>());
      else
        throw std::runtime_error(spec + ": 'processes' must be a list or an object");
    }
    if (c.sends.empty() && c.receives.empty())
      throw std::runtime_error(spec + ": names no 'send' or 'receive' function");
    return c;
  } catch (const nlohmann::json::exception &e) {
    throw std::runtime_error("invalid --api file '" + spec + "': " + e.what());
  }
}

} // namespace gridlock::analyzer
