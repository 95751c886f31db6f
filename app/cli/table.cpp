#include "table.h"

#include <algorithm>

namespace hoodctl {

size_t displayWidth(const std::string &text)
{
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string shorten(const std::string &text, size_t width)
{
    if (displayWidth(text) <= width || width == 0)
        return text;
    std::string out;
    size_t chars = 0;
    for (char c : text) {
        bool starts = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (starts && ++chars > width - 1)
            break;
        out += c;
    }
    return out + "…";
}

Table::Table(std::vector<std::string> header, std::string indent) : m_indent(std::move(indent))
{
    m_rows.push_back(std::move(header));
}

void Table::add(std::vector<std::string> row)
{
    m_rows.push_back(std::move(row));
}

void Table::alignRight(size_t column)
{
    m_right.insert(column);
}

void Table::print(std::ostream &out, size_t maxWidth) const
{
    std::vector<size_t> widths;
    for (const auto &row : m_rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
    for (const auto &row : m_rows) {
        std::string line = m_indent;
        for (size_t i = 0; i < row.size(); ++i) {
            std::string pad(widths[i] - displayWidth(row[i]), ' ');
            bool last = i + 1 == row.size();
            std::string cell = row[i];
            size_t used = displayWidth(line);
            if (last && maxWidth > used + 8)
                cell = shorten(cell, maxWidth - used);
            line += m_right.count(i) ? pad + cell : cell + (last ? "" : pad);
            if (!last)
                line += "  ";
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << "\n";
    }
}

} // namespace hoodctl
