// What every `hoodctl measure` figure shares: bars with a unit, one sentence of
// summary and the method, printed as text or as the JSON the lessons' bar chart
// draws ({"title", "unit", "bars": [{"label", "value"}], "summary", "method"}).
#pragma once

#include <string>
#include <vector>

namespace hood::vm {
struct ProgramResult;
}

namespace hoodctl::measure {

struct Bar {
    std::string label;
    double value = 0;
};

struct Figures {
    std::string title;
    std::string unit;
    std::vector<Bar> bars;
    std::string summary;
    std::string method;
};

int print(const Figures &f, bool json);
// hoodctl itself (this binary) with --root root before words.
std::vector<std::string> hoodctl(const std::string &root, std::vector<std::string> words);
// The wall time of one program in ms; its result in *result.
double timedMs(const std::vector<std::string> &argv, hood::vm::ProgramResult *result);
// The first line of a program's output, for a sentence.
std::string firstLine(const std::string &output);

} // namespace hoodctl::measure
