// The build context: .dockerignore matching as Docker does it (moby's
// patternmatcher and ignorefile: Go filepath.Match syntax plus `**`, `!`
// exceptions where the last matching line wins, leading `/` and `./` cleaned),
// the resolution of COPY/ADD sources inside the context (wildcards, `../x` and
// symlinks that lead outside refused), and a content hash of what a COPY
// copies: names, modes, contents and symlink targets, never mtimes, so that
// touching a file keeps the layer cache.
#pragma once

#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood {

class IgnoreMatcher {
public:
    IgnoreMatcher() = default;
    // The patterns as Docker reads .dockerignore: comments (#...) and blank
    // lines dropped, whitespace trimmed, paths cleaned. Throws hood::Error on a
    // pattern that does not compile ("bad .dockerignore pattern ...").
    static IgnoreMatcher fromText(std::string_view text);
    explicit IgnoreMatcher(const std::vector<std::string> &patterns);

    // True when relPath ("a/b.txt", relative to the context, '/'-separated) is
    // excluded: by a pattern that matches it or one of its parent directories,
    // and not re-included by a later `!` pattern.
    bool excluded(const std::string &relPath) const;
    bool empty() const { return m_patterns.empty(); }
    // True when a `!` pattern could re-include something under dir, so a walk
    // must descend into an excluded directory (Docker's walk does the same).
    bool hasExceptions() const;

private:
    struct Pattern {
        std::string text;
        std::shared_ptr<const std::regex> regex; // compiled once: a walk asks for every path
        bool exclusion = false;
    };
    std::vector<Pattern> m_patterns;
};

// Go's filepath.Clean on a '/'-separated path ("./a//b/../c" -> "a/c", "" -> ".").
std::string cleanPath(std::string_view path);

// One file, directory or symlink a COPY brings in.
struct ContextEntry {
    std::string path;   // relative to the context root, '/'-separated
    mode_t mode = 0;    // st_mode: type and permission bits
    off_t size = 0;
    std::string linkTarget; // symlinks only
};

class BuildContext {
public:
    // root: the context directory. Reads root/.dockerignore when it is there.
    explicit BuildContext(const std::string &root);
    BuildContext(const std::string &root, IgnoreMatcher ignore);

    const std::string &root() const { return m_root; }
    const IgnoreMatcher &ignore() const { return m_ignore; }

    // COPY/ADD sources (wildcards allowed) to the context paths they name,
    // sorted, each one existing and not excluded. `where` starts each error:
    //   "Dockerfile line 4 (COPY): ../x is outside the build context"
    //   "Dockerfile line 4 (COPY): missing.txt: no such file or directory in the build context"
    //   "Dockerfile line 4 (COPY): link leads outside the build context (to /etc/passwd)"
    std::vector<std::string> resolveSources(const std::vector<std::string> &sources,
                                            const std::string &where) const;

    // Every entry a resolved source brings in, itself first, then (for a
    // directory) its contents in name order; excluded paths skipped.
    std::vector<ContextEntry> entries(const std::string &resolved) const;

    // "sha256:..." over the entries of all resolved sources: path, mode,
    // contents (regular files) and target (symlinks); not mtimes, owners or
    // inode numbers.
    std::string contentHash(const std::vector<std::string> &resolved) const;

    // The absolute host path of a context path.
    std::string hostPath(const std::string &relPath) const;

private:
    void walk(const std::string &rel, std::vector<ContextEntry> &out) const;
    std::vector<std::string> expandWildcard(const std::string &pattern) const;

    std::string m_root;     // as given
    std::string m_realRoot; // realpath(root), for the outside checks
    IgnoreMatcher m_ignore;
};

} // namespace hood
