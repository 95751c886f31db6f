// qemu-user's translation log (`qemu-x86_64 -d in_asm,out_asm -D LOG prog`,
// `qemu-aarch64 ...`) read into translation blocks: the guest instructions QEMU
// decoded in one go (IN:) beside the host instructions its TCG back end wrote for
// them (OUT:), each host instruction tagged with the guest instruction it came
// from ("-- guest addr"). A pure function of the log's text, tested on logs
// captured from real qemu-user (tests/core/fixtures/tblog).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hood::vm {

struct TbInsn {
    std::uint64_t address = 0;
    std::string bytes;         // as QEMU printed them: "48 8b ef" (x86), "d503201f" (arm64)
    std::string text;          // "movq %rdi, %rbp"
    std::uint64_t guest = 0;   // host instructions: the guest instruction they came from
    bool prologue = false;     // host instructions of the block's prologue (the exit check)
    bool slowPath = false;     // host code after the block for memory accesses that miss the TLB
};

struct TranslationBlock {
    int line = 0;                 // where its IN: is in the log (1-based)
    std::string symbol;           // "IN: main" -> "main"; often empty for stripped binaries
    std::vector<TbInsn> guest;
    std::vector<TbInsn> host;
    unsigned hostSize = 0;        // OUT: [size=N], bytes of host code with its data
    bool translated = false;      // an OUT: section followed

    // Host instructions per guest instruction; 0 when either side is missing.
    double ratio() const
    {
        return guest.empty() || host.empty() ? 0.0 : double(host.size()) / double(guest.size());
    }
    std::uint64_t guestPc() const { return guest.empty() ? 0 : guest.front().address; }
};

struct TbLog {
    std::vector<TranslationBlock> blocks;
    unsigned prologueSize = 0;        // the PROLOGUE: QEMU's entry into generated code
    std::vector<std::string> problems; // "line 12: ..." for lines not understood (at most 20)
    unsigned guestInsns = 0, hostInsns = 0;
};

TbLog parseTbLog(std::string_view text);

// Blocks with both sides, for the lessons: their host/guest totals' ratio.
double overallRatio(const TbLog &log);

} // namespace hood::vm
