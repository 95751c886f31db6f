#include "units.h"

#include "error.h"
#include "spec_rules.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace hood {

namespace {

// The decimal number at the start of text (the rest goes to `rest`); NaN when the
// text does not start with one (no "inf", no hex, no blanks, a sign only if allowed).
double leadingNumber(const std::string &text, bool allowMinus, std::string &rest)
{
    const size_t first = allowMinus && !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() <= first || !(std::isdigit(static_cast<unsigned char>(text[first])) || text[first] == '.'))
        return NAN;
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    // strtod also reads hex ("0x10") and "infinity": only a decimal number counts.
    if (end == text.c_str() || text.substr(0, static_cast<size_t>(end - text.c_str())).find_first_not_of("0123456789.eE+-") != std::string::npos)
        return NAN;
    rest = end;
    return std::isfinite(v) ? v : NAN;
}

std::string lower(std::string s)
{
    for (char &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// "m", "mb", "mib" -> 2^20; -1 for an unknown unit.
double unitFactor(std::string unit)
{
    unit = lower(unit);
    if (unit.size() > 1 && unit.back() == 'b')
        unit.pop_back();
    if (unit.size() > 1 && unit.back() == 'i')
        unit.pop_back();
    static constexpr std::array<std::pair<std::string_view, int>, 6> kUnits = {
        {{"", 0}, {"b", 0}, {"k", 1}, {"m", 2}, {"g", 3}, {"t", 4}}};
    for (const auto &[name, power] : kUnits) {
        if (unit == name)
            return std::ldexp(1.0, 10 * power);
    }
    return -1;
}

[[noreturn]] void fail(std::string_view what, std::string_view text, std::string_view rule)
{
    throw Error(std::string(what) + " " + std::string(text) + ": " + std::string(rule));
}

} // namespace

int64_t parseBytes(std::string_view textView, std::string_view what)
{
    const std::string text(textView);
    std::string unit;
    const double v = leadingNumber(text, false, unit);
    const double factor = unitFactor(unit);
    if (std::isnan(v) || factor < 0)
        fail(what, text, "not a size (a number with an optional unit, such as 64M or 1G)");
    const double bytes = std::floor(v * factor);
    if (bytes >= 9.2e18) // int64_t's range; no machine has that much memory anyway
        fail(what, text, "is too large (at most 8E)");
    return static_cast<int64_t>(bytes);
}

std::string formatBytes(uint64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    constexpr int lastUnit = 6;
    if (bytes < 1024)
        return std::to_string(bytes) + " B";
    int unit = 0;
    double value = static_cast<double>(bytes);
    while (value >= 1024 && unit < lastUnit) {
        value /= 1024;
        ++unit;
    }
    // Rounding may carry into the next unit (1048575 B reads "1 MiB", not "1024 KiB").
    double rounded = std::round(value * 10) / 10;
    if (rounded >= 1024 && unit < lastUnit) {
        rounded /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, rounded == std::floor(rounded) ? "%.0f %s" : "%.1f %s", rounded,
                  units[unit]);
    return text;
}

std::string formatBytesFlag(int64_t bytes)
{
    static const char units[] = "KMGT";
    int unit = -1;
    while (bytes != 0 && bytes % 1024 == 0 && unit < 3) {
        bytes /= 1024;
        ++unit;
    }
    return std::to_string(bytes) + (unit < 0 ? std::string() : std::string(1, units[unit]));
}

double parseCpus(std::string_view textView, std::string_view what)
{
    const std::string text(textView);
    std::string rest;
    const double v = leadingNumber(text, false, rest);
    if (std::isnan(v) || !rest.empty())
        fail(what, text, "not a number (CPUs, such as 0.5 or 2)");
    return v;
}

std::string formatCpus(double cpus)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", cpus);
    return text;
}

int64_t parsePids(std::string_view textView, std::string_view what)
{
    const std::string text(textView);
    std::string rest;
    const double v = leadingNumber(text, true, rest);
    if (std::isnan(v) || !rest.empty() || v != std::floor(v) || (v < 1 && v != -1))
        fail(what, text, rules::kPidsFlag);
    return static_cast<int64_t>(v);
}

} // namespace hood
