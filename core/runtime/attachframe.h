// What a client of a container's attach.sock sends to its monitor. The bytes the
// container writes come back unframed (a client only shows them); what goes the
// other way is framed, so that a terminal's size travels beside the keys and is never
// mistaken for them (conmon keeps a ctl FIFO for the same reason):
//
//   'i' <u32 length, big-endian> <bytes>        keys, pasted text: to the pty
//   'w' <u32 length = 4> <u16 rows> <u16 cols>  the client's terminal size: TIOCSWINSZ
//
// Pure functions of bytes, so the parser is tested and fuzzed without a monitor.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace hood::attach {

struct WindowSize {
    std::uint16_t rows = 0;
    std::uint16_t cols = 0;
    bool operator==(const WindowSize &) const = default;
};

// A frame larger than this is malformed (the monitor reads 4 KiB at a time).
inline constexpr std::uint32_t kMaxFrame = 64 * 1024;

std::string encodeInput(std::string_view bytes);
std::string encodeWindowSize(WindowSize size);

// Collects a client's bytes and hands out whole frames; a partial frame waits for the
// rest. feed() returns false when the stream is malformed (unknown type, a frame
// over kMaxFrame, a size frame of another length): the monitor then drops the client.
class Decoder {
public:
    std::function<void(std::string_view)> onInput;
    std::function<void(WindowSize)> onWindowSize;

    bool feed(std::string_view bytes);
    std::size_t pending() const { return m_pending.size(); }

private:
    bool takeFrame(bool &took);

    std::string m_pending;
};

} // namespace hood::attach
