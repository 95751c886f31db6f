// .dockerignore and the build context (dockerignore.h). The pattern compiler
// follows moby/patternmatcher's compile(): `**` matches any number of path
// elements, `*` and `?` never cross a `/`, `\` escapes the next character.
#include "image/dockerignore.h"

#include "error.h"
#include "image/digest.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <memory>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

namespace hood {

namespace {

std::string_view trimSpace(std::string_view s)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// patternmatcher's compile(): the pattern as an anchored regular expression.
std::string compilePattern(const std::string &pattern)
{
    std::string re = "^";
    for (size_t i = 0; i < pattern.size(); ++i) {
        char ch = pattern[i];
        if (ch == '*') {
            if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
                ++i;
                if (i + 1 < pattern.size() && pattern[i + 1] == '/')
                    ++i; // "**/" is "**"
                re += i + 1 == pattern.size() ? ".*" : "(.*/)?";
            } else {
                re += "[^/]*";
            }
        } else if (ch == '?') {
            re += "[^/]";
        } else if (ch == '\\') {
            if (i + 1 < pattern.size())
                re += std::string("\\") + pattern[++i];
            else
                re += "\\\\";
        } else if (ch == '[' || ch == ']') {
            re += ch;
        } else if (std::string_view(".$^+(){}|").find(ch) != std::string_view::npos) {
            // Docker escapes only . and $, and lets the others reach Go's regexp
            // as operators; Hood takes them literally, as filepath.Match does.
            re += std::string("\\") + ch;
        } else {
            re += ch;
        }
    }
    return re + "$";
}

bool hasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::string joinRel(const std::string &dir, const std::string &name)
{
    return dir == "." ? name : dir + "/" + name;
}

using DirPtr = std::unique_ptr<DIR, int (*)(DIR *)>;

std::vector<std::string> listDir(const std::string &path)
{
    DirPtr dir(opendir(path.c_str()), closedir);
    if (!dir)
        throw Error::sys("open directory", path, errno);
    std::vector<std::string> names;
    while (dirent *e = readdir(dir.get())) {
        std::string name = e->d_name;
        if (name != "." && name != "..")
            names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string realPath(const std::string &path)
{
    std::unique_ptr<char, void (*)(void *)> p(::realpath(path.c_str(), nullptr), std::free);
    if (!p)
        throw Error::sys("resolve", path, errno);
    return p.get();
}

bool under(const std::string &path, const std::string &root)
{
    return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0
                            && (root == "/" || path[root.size()] == '/'));
}

void hashFile(image::Sha256 &out, const std::string &path)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        throw Error::sys("open", path, errno);
    image::Sha256 content;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error::sys("read", path, errno);
        if (n == 0)
            break;
        content.update(buf, size_t(n));
    }
    out.update(content.hex());
}

} // namespace

// ---------------------------------------------------------------- paths

std::string cleanPath(std::string_view path)
{
    bool rooted = !path.empty() && path[0] == '/';
    std::vector<std::string> parts;
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string_view::npos)
            j = path.size();
        std::string_view part = path.substr(i, j - i);
        if (part.empty() || part == ".") {
        } else if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!rooted)
                parts.emplace_back("..");
        } else {
            parts.emplace_back(part);
        }
        i = j + 1;
    }
    std::string out = rooted ? "/" : "";
    for (size_t k = 0; k < parts.size(); ++k)
        out += (k ? "/" : "") + parts[k];
    return out.empty() ? "." : out;
}

// ---------------------------------------------------------------- .dockerignore

IgnoreMatcher IgnoreMatcher::fromText(std::string_view text)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::vector<std::string> patterns;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        if (!line.empty() && line[0] == '#')
            continue;
        std::string_view p = trimSpace(line);
        if (p.empty())
            continue;
        bool invert = p[0] == '!';
        if (invert)
            p = trimSpace(p.substr(1));
        std::string cleaned;
        if (!p.empty()) {
            cleaned = cleanPath(p);
            if (cleaned.size() > 1 && cleaned[0] == '/')
                cleaned.erase(0, 1);
        }
        patterns.push_back((invert ? "!" : "") + cleaned);
    }
    return IgnoreMatcher(patterns);
}

IgnoreMatcher::IgnoreMatcher(const std::vector<std::string> &patterns)
{
    for (const std::string &raw : patterns) {
        Pattern p;
        p.text = raw;
        std::string body = raw;
        if (!body.empty() && body[0] == '!') {
            p.exclusion = true;
            body.erase(0, 1);
        }
        if (body.empty())
            throw Error("bad .dockerignore pattern \"" + raw + "\": illegal exclusion pattern");
        try {
            p.regex = std::make_shared<const std::regex>(compilePattern(cleanPath(body)));
        } catch (const std::regex_error &) {
            throw Error("bad .dockerignore pattern \"" + raw + "\": syntax error in pattern");
        }
        m_patterns.push_back(std::move(p));
    }
}

bool IgnoreMatcher::hasExceptions() const
{
    return std::any_of(m_patterns.begin(), m_patterns.end(), [](const Pattern &p) { return p.exclusion; });
}

// patternmatcher's MatchesOrParentMatches: a pattern matches the path or one
// of its parents; the last pattern that matches decides.
bool IgnoreMatcher::excluded(const std::string &relPath) const
{
    std::string path = cleanPath(relPath);
    std::vector<std::string> parents;
    for (size_t i = path.find('/'); i != std::string::npos; i = path.find('/', i + 1))
        parents.push_back(path.substr(0, i));
    bool matched = false;
    for (const Pattern &p : m_patterns) {
        bool match = std::regex_match(path, *p.regex);
        for (size_t i = 0; !match && i < parents.size(); ++i)
            match = std::regex_match(parents[i], *p.regex);
        if (match)
            matched = !p.exclusion;
    }
    return matched;
}

// ---------------------------------------------------------------- the context

BuildContext::BuildContext(const std::string &root)
    : BuildContext(root, IgnoreMatcher::fromText(readFileIfExists(root + "/.dockerignore").value_or("")))
{
}

BuildContext::BuildContext(const std::string &root, IgnoreMatcher ignore)
    : m_root(root), m_realRoot(realPath(root)), m_ignore(std::move(ignore))
{
}

std::string BuildContext::hostPath(const std::string &relPath) const
{
    return relPath == "." ? m_root : m_root + "/" + relPath;
}

// Component by component, as filepath.Glob does: `*` stays within one name.
std::vector<std::string> BuildContext::expandWildcard(const std::string &pattern) const
{
    std::vector<std::string> current = {"."};
    size_t i = 0;
    while (i <= pattern.size()) {
        size_t j = pattern.find('/', i);
        if (j == std::string::npos)
            j = pattern.size();
        std::string part = pattern.substr(i, j - i);
        std::vector<std::string> next;
        for (const std::string &dir : current) {
            if (!hasWildcard(part)) {
                struct stat st;
                if (::lstat(hostPath(joinRel(dir, part)).c_str(), &st) == 0)
                    next.push_back(joinRel(dir, part));
                continue;
            }
            struct stat st;
            if (::stat(hostPath(dir).c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            for (const std::string &name : listDir(hostPath(dir)))
                if (fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0)
                    next.push_back(joinRel(dir, name));
        }
        current = std::move(next);
        i = j + 1;
    }
    std::vector<std::string> kept;
    for (const std::string &p : current)
        if (!m_ignore.excluded(p))
            kept.push_back(p);
    return kept;
}

std::vector<std::string> BuildContext::resolveSources(const std::vector<std::string> &sources,
                                                      const std::string &where) const
{
    std::vector<std::string> out;
    for (const std::string &src : sources) {
        std::string rel = cleanPath(src);
        if (rel.size() > 1 && rel[0] == '/')
            rel = cleanPath(rel.substr(1)); // sources are relative to the context even when absolute
        else if (rel == "/")
            rel = ".";
        if (rel == ".." || rel.rfind("../", 0) == 0)
            throw Error(where + ": " + src + " is outside the build context");
        std::vector<std::string> matched = hasWildcard(rel) ? expandWildcard(rel) : std::vector<std::string>{rel};
        if (matched.empty())
            throw Error(where + ": " + src + ": no source files match it in the build context");
        for (const std::string &m : matched) {
            struct stat st;
            if (::lstat(hostPath(m).c_str(), &st) != 0 || (m != "." && m_ignore.excluded(m)))
                throw Error(where + ": " + src
                            + ": no such file or directory in the build context (or excluded by .dockerignore)");
            std::string real = realPath(hostPath(m));
            if (!under(real, m_realRoot))
                throw Error(where + ": " + src + " leads outside the build context (to " + real + ")");
            std::string resolved = real == m_realRoot ? "." : real.substr(m_realRoot.size() + (m_realRoot == "/" ? 0 : 1));
            out.push_back(resolved);
        }
    }
    return out;
}

void BuildContext::walk(const std::string &rel, std::vector<ContextEntry> &out) const
{
    struct stat st;
    std::string host = hostPath(rel);
    if (::lstat(host.c_str(), &st) != 0)
        throw Error::sys("stat", host, errno);
    bool skip = rel != "." && m_ignore.excluded(rel);
    if (!skip) {
        ContextEntry e{rel, st.st_mode, S_ISREG(st.st_mode) ? st.st_size : 0, {}};
        if (S_ISLNK(st.st_mode)) {
            char buf[PATH_MAX];
            ssize_t n = ::readlink(host.c_str(), buf, sizeof buf);
            if (n < 0)
                throw Error::sys("readlink", host, errno);
            e.linkTarget.assign(buf, size_t(n));
        }
        out.push_back(std::move(e));
    }
    // An excluded directory is still entered when a later `!` line may bring
    // something inside it back, as Docker's walk does.
    if (S_ISDIR(st.st_mode) && (!skip || m_ignore.hasExceptions()))
        for (const std::string &name : listDir(host))
            walk(joinRel(rel, name), out);
}

std::vector<ContextEntry> BuildContext::entries(const std::string &resolved) const
{
    std::vector<ContextEntry> out;
    walk(resolved, out);
    return out;
}

std::string BuildContext::contentHash(const std::vector<std::string> &resolved) const
{
    image::Sha256 hash;
    for (const std::string &src : resolved) {
        for (const ContextEntry &e : entries(src)) {
            hash.update(e.path);
            hash.update("\0", 1);
            hash.update(std::to_string(e.mode));
            hash.update("\0", 1);
            if (S_ISREG(e.mode))
                hashFile(hash, hostPath(e.path));
            else if (S_ISLNK(e.mode))
                hash.update(e.linkTarget);
            hash.update("\n", 1);
        }
    }
    return "sha256:" + hash.hex();
}

} // namespace hood
