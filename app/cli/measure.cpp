#include "measure.h"

#include "vm/subprocess.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace hoodctl::measure {

namespace {

std::string selfExe()
{
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, size_t(n)) : std::string("hoodctl");
}

} // namespace

int print(const Figures &f, bool json)
{
    if (json) {
        nlohmann::json bars = nlohmann::json::array();
        for (const Bar &b : f.bars)
            bars.push_back({{"label", b.label}, {"value", b.value}});
        std::cout << nlohmann::json{{"title", f.title}, {"unit", f.unit}, {"bars", bars},
                                    {"summary", f.summary}, {"method", f.method}}
                         .dump(2)
                  << "\n";
        return 0;
    }
    std::cout << f.title << "\n";
    for (const Bar &b : f.bars)
        std::printf("  %-44s %10.1f %s\n", b.label.c_str(), b.value, f.unit.c_str());
    std::cout << f.summary << "\nmethod: " << f.method << "\n";
    return 0;
}

std::vector<std::string> hoodctl(const std::string &root, std::vector<std::string> words)
{
    words.insert(words.begin(), {selfExe(), "--root", root});
    return words;
}

double timedMs(const std::vector<std::string> &argv, hood::vm::ProgramResult *result)
{
    const auto t = std::chrono::steady_clock::now();
    hood::vm::ProgramResult r = hood::vm::runProgram(argv, {}, std::chrono::seconds(300));
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
    if (result)
        *result = std::move(r);
    return ms;
}

std::string firstLine(const std::string &output)
{
    return output.substr(0, output.find('\n'));
}

} // namespace hoodctl::measure
