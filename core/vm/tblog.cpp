#include "vm/tblog.h"

#include <charconv>

namespace hood::vm {
namespace {

enum class Section { None, Prologue, In, Out, Data };

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool parseHex(std::string_view s, std::uint64_t &out)
{
    if (s.starts_with("0x"))
        s.remove_prefix(2);
    if (s.empty())
        return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return ec == std::errc() && end == s.data() + s.size();
}

// "[size=184]" anywhere in the line.
unsigned sizeIn(std::string_view line)
{
    size_t at = line.find("[size=");
    if (at == std::string_view::npos)
        return 0;
    unsigned v = 0;
    std::string_view rest = line.substr(at + 6);
    std::from_chars(rest.data(), rest.data() + rest.size(), v);
    return v;
}

bool isHexByteGroup(std::string_view w)
{
    if (w.empty() || w.size() > 16 || w.size() % 2)
        return false;
    for (char c : w)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

bool allByteGroups(std::string_view field)
{
    if (field.empty())
        return false;
    size_t pos = 0;
    while (pos <= field.size()) {
        size_t sp = field.find(' ', pos);
        if (sp == std::string_view::npos)
            sp = field.size();
        if (!isHexByteGroup(field.substr(pos, sp - pos)))
            return false;
        pos = sp + 1;
    }
    return true;
}

// Single spaces inside, none at the ends: "xorl     %ebp, %ebp" -> "xorl %ebp, %ebp".
std::string compacted(std::string_view s)
{
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space && !out.empty())
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

// "0x0040ebf0:  31 ed                    xorl     %ebp, %ebp": QEMU pads the bytes
// (single-spaced hex groups) to a column and puts two spaces or more before the
// instruction. A line with bytes only continues the instruction before it.
bool parseInsn(std::string_view line, TbInsn &insn)
{
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !parseHex(line.substr(0, colon), insn.address))
        return false;
    std::string_view rest = trimmed(line.substr(colon + 1));
    size_t gap = rest.find("  ");
    std::string_view field = rest.substr(0, gap);
    if (allByteGroups(field)) {
        insn.bytes = std::string(field);
        insn.text = gap == std::string_view::npos ? std::string() : compacted(rest.substr(gap));
    } else {
        insn.text = compacted(rest); // a line without bytes (".quad 0x...")
    }
    return !insn.bytes.empty() || !insn.text.empty();
}

struct Parser {
    TbLog log;
    Section section = Section::None;
    std::uint64_t guestAddr = 0;
    bool inPrologue = false;
    bool inSlowPath = false;
    int lineNo = 0;

    void problem(std::string_view what)
    {
        if (log.problems.size() < 20)
            log.problems.push_back("line " + std::to_string(lineNo) + ": " + std::string(what));
    }

    TranslationBlock *current() { return log.blocks.empty() ? nullptr : &log.blocks.back(); }

    void header(std::string_view line)
    {
        if (line.starts_with("PROLOGUE:")) {
            section = Section::Prologue;
            log.prologueSize = sizeIn(line);
        } else if (line.starts_with("IN:")) {
            section = Section::In;
            TranslationBlock tb;
            tb.line = lineNo;
            tb.symbol = std::string(trimmed(line.substr(3)));
            log.blocks.push_back(std::move(tb));
        } else if (line.starts_with("OUT:")) {
            section = Section::Out;
            guestAddr = 0;
            inPrologue = false;
            inSlowPath = false;
            if (TranslationBlock *tb = current(); tb && !tb->translated) {
                tb->translated = true;
                tb->hostSize = sizeIn(line);
            } else {
                problem("OUT: without an IN: before it");
                section = Section::None;
            }
        }
    }

    // "  -- guest addr 0x000000000040ebf0 + tb prologue"
    void guestMarker(std::string_view line)
    {
        std::string_view rest = trimmed(line.substr(line.find("guest addr") + 10));
        std::string_view addr = rest.substr(0, rest.find(' '));
        if (!parseHex(addr, guestAddr))
            problem("a guest address that is not hexadecimal");
        inSlowPath = false;
        inPrologue = rest.find("prologue") != std::string_view::npos;
    }

    void instruction(std::string_view line)
    {
        TranslationBlock *tb = current();
        TbInsn insn;
        if (!parseInsn(line, insn)) {
            problem("not an instruction: " + std::string(line.substr(0, 60)));
            return;
        }
        if (section == Section::Prologue)
            return;
        if (!tb) {
            problem("an instruction outside a block");
            return;
        }
        std::vector<TbInsn> &list = section == Section::In ? tb->guest : tb->host;
        // Bytes only, and the address right after the last one: the rest of its bytes.
        if (insn.text.empty() && !list.empty()) {
            list.back().bytes += " " + insn.bytes;
            return;
        }
        insn.guest = section == Section::Out ? guestAddr : 0;
        insn.prologue = section == Section::Out && inPrologue;
        insn.slowPath = section == Section::Out && inSlowPath;
        list.push_back(std::move(insn));
    }

    void line(std::string_view raw)
    {
        ++lineNo;
        std::string_view line = trimmed(raw);
        if (line.empty())
            return;
        if (line.starts_with("----")) {
            section = Section::None;
        } else if (line.starts_with("PROLOGUE:") || line.starts_with("IN:") || line.starts_with("OUT:")) {
            header(line);
        } else if (line.starts_with("-- guest addr")) {
            if (section == Section::Out)
                guestMarker(line);
        } else if (line.starts_with("-- tb slow paths")) {
            // Softmmu helpers' calls for loads and stores, shared by the whole block.
            guestAddr = 0;
            inPrologue = false;
            inSlowPath = true;
        } else if (line.starts_with("data:")) {
            section = Section::Data; // constants after the code (.quad): not instructions
        } else if (line.starts_with("0x")) {
            if (section == Section::In || section == Section::Out || section == Section::Prologue)
                instruction(line);
            else if (section != Section::Data)
                problem("an instruction outside IN:, OUT: or PROLOGUE:");
        } else if (section != Section::Data) {
            // Other -d items (exec, cpu, op) are not read; say so once per kind of line.
            problem("not part of in_asm/out_asm: " + std::string(line.substr(0, 60)));
        }
    }
};

} // namespace

TbLog parseTbLog(std::string_view text)
{
    Parser p;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        p.line(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    for (const TranslationBlock &tb : p.log.blocks) {
        p.log.guestInsns += unsigned(tb.guest.size());
        p.log.hostInsns += unsigned(tb.host.size());
    }
    return std::move(p.log);
}

double overallRatio(const TbLog &log)
{
    double guest = 0, host = 0;
    for (const TranslationBlock &tb : log.blocks)
        if (!tb.guest.empty() && !tb.host.empty()) {
            guest += double(tb.guest.size());
            host += double(tb.host.size());
        }
    return guest == 0 ? 0.0 : host / guest;
}

} // namespace hood::vm
