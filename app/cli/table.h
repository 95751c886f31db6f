// Aligned columns for hoodctl's human output (inspect, top). Widths count
// characters, not bytes, so tree lines ("├─") and units ("µs") stay aligned.
#pragma once

#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace hoodctl {

class Table {
public:
    explicit Table(std::vector<std::string> header, std::string indent = "  ");
    void add(std::vector<std::string> row);
    void alignRight(size_t column); // numbers
    // The last column is not padded; with maxWidth, it is cut ("…") so that a
    // line fits that many characters (0: no limit).
    void print(std::ostream &out, size_t maxWidth = 0) const;
    bool empty() const { return m_rows.empty(); }

private:
    std::vector<std::vector<std::string>> m_rows; // header first
    std::set<size_t> m_right;
    std::string m_indent;
};

// Characters in UTF-8 text (continuation bytes are not counted).
size_t displayWidth(const std::string &text);

// At most `width` characters, the cut marked with "…".
std::string shorten(const std::string &text, size_t width);

} // namespace hoodctl
