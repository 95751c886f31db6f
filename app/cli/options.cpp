#include "cli.h"

#include "error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace hoodctl {

using hood::Error;

namespace {
bool listed(const std::vector<std::string> &list, const std::string &s)
{
    return std::find(list.begin(), list.end(), s) != list.end();
}
} // namespace

Options::Options(const Words &words, const std::vector<std::string> &valueFlags,
                 const std::vector<std::string> &boolFlags)
{
    for (size_t i = 0; i < words.size(); ++i) {
        const std::string &w = words[i];
        if (w == "--") {
            m_afterDashes.assign(words.begin() + static_cast<long>(i) + 1, words.end());
            return;
        }
        if (w.size() < 2 || w[0] != '-') {
            m_positional.push_back(w);
            continue;
        }
        size_t eq = w.find('=');
        std::string flag = w.substr(0, eq);
        if (listed(boolFlags, flag) && eq == std::string::npos) {
            m_flags.emplace_back(flag, "");
        } else if (listed(valueFlags, flag)) {
            if (eq != std::string::npos)
                m_flags.emplace_back(flag, w.substr(eq + 1));
            else if (i + 1 < words.size())
                m_flags.emplace_back(flag, words[++i]);
            else
                throw Error("option " + flag + " needs a value");
        } else {
            throw Error("unknown option " + w);
        }
    }
}

bool Options::has(const std::string &flag) const
{
    return std::any_of(m_flags.begin(), m_flags.end(), [&](const auto &f) { return f.first == flag; });
}

std::optional<std::string> Options::value(const std::string &flag) const
{
    std::optional<std::string> out;
    for (const auto &[f, v] : m_flags) {
        if (f == flag)
            out = v;
    }
    return out;
}

std::vector<std::string> Options::values(const std::string &flag) const
{
    std::vector<std::string> out;
    for (const auto &[f, v] : m_flags) {
        if (f == flag)
            out.push_back(v);
    }
    return out;
}

double parseNumber(const std::string &flag, const std::string &text)
{
    char *end = nullptr;
    double v = strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v))
        throw Error(flag + " " + text + ": not a number");
    return v;
}

std::vector<std::string> envFlags(const Options &o)
{
    std::vector<std::string> env;
    for (const char *flag : {"-e", "--env"}) {
        for (const std::string &e : o.values(flag)) {
            if (e.find('=') != std::string::npos)
                env.push_back(e);
            else if (const char *value = getenv(e.c_str()))
                env.push_back(e + "=" + value);
        }
    }
    return env;
}

} // namespace hoodctl
