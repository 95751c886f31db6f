#include "attachframe.h"

namespace hood::attach {

namespace {

constexpr std::size_t kHeader = 5;

std::string header(char type, std::uint32_t length)
{
    return {type, char(length >> 24), char(length >> 16), char(length >> 8), char(length)};
}

std::uint32_t readU32(std::string_view s)
{
    auto b = [&](int i) { return std::uint32_t(static_cast<unsigned char>(s[i])); };
    return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

std::uint16_t readU16(std::string_view s)
{
    return std::uint16_t(static_cast<unsigned char>(s[0]) << 8 | static_cast<unsigned char>(s[1]));
}

} // namespace

std::string encodeInput(std::string_view bytes)
{
    return header('i', std::uint32_t(bytes.size())).append(bytes);
}

std::string encodeWindowSize(WindowSize size)
{
    return header('w', 4) + std::string {char(size.rows >> 8), char(size.rows), char(size.cols >> 8), char(size.cols)};
}

bool Decoder::feed(std::string_view bytes)
{
    m_pending.append(bytes);
    bool took = true;
    while (took) {
        if (!takeFrame(took))
            return false;
    }
    return true;
}

// One whole frame off the front of m_pending, if there is one (took says so).
bool Decoder::takeFrame(bool &took)
{
    took = false;
    if (m_pending.empty())
        return true;
    const char type = m_pending[0];
    if (type != 'i' && type != 'w')
        return false;
    if (m_pending.size() < kHeader)
        return true;
    const std::uint32_t length = readU32(std::string_view(m_pending).substr(1));
    if (length > kMaxFrame || (type == 'w' && length != 4))
        return false;
    if (m_pending.size() < kHeader + length)
        return true;
    const std::string_view body = std::string_view(m_pending).substr(kHeader, length);
    if (type == 'i' && onInput)
        onInput(body);
    else if (type == 'w' && onWindowSize)
        onWindowSize({readU16(body), readU16(body.substr(2))});
    m_pending.erase(0, kHeader + length);
    took = true;
    return true;
}

} // namespace hood::attach
