#include "extract.h"

#include "digest.h"
#include "error.h"
#include "image/archive_api.h"
#include "sys/fd.h"
#include "sys/fileio.h"


#include <cerrno>
#include <condition_variable>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace hood::image {

namespace {

using Archive = std::unique_ptr<archive, decltype(&archive_read_free)>;

constexpr size_t kBlock = 1 << 20;

// The blob's digest and its copy in the store, on a thread of their own beside the
// unpacking: on an uncompressed layer the hash and the second write of every byte
// cost as much as tar's whole work, so in line they made an import ~1.9x `tar -xf`.
// Blocks are handed over in order; a block's buffer is reused only once the
// thread is done with it (waitFor).
class BlobSink {
public:
    explicit BlobSink(int tee) : m_tee(tee), m_thread([this] { run(); }) {}
    ~BlobSink()
    {
        {
            std::lock_guard<std::mutex> l(m_mutex);
            m_closing = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    BlobSink(const BlobSink &) = delete;
    BlobSink &operator=(const BlobSink &) = delete;

    void push(const char *data, size_t size)
    {
        {
            std::lock_guard<std::mutex> l(m_mutex);
            m_queue.push_back({data, size});
            ++m_pushed;
        }
        m_wake.notify_all();
    }
    // Until the first `count` blocks are hashed and written; the write's errno, or 0.
    int waitFor(uint64_t count)
    {
        std::unique_lock<std::mutex> l(m_mutex);
        m_idle.wait(l, [&] { return m_done >= count; });
        return m_err;
    }
    int drain() { return waitFor(m_pushed); }
    std::string digest() { return m_hash.finish(); } // after drain()

private:
    void run()
    {
        std::unique_lock<std::mutex> l(m_mutex);
        for (;;) {
            m_wake.wait(l, [&] { return m_closing || !m_queue.empty(); });
            if (m_queue.empty())
                return;
            const auto [data, size] = m_queue.front();
            m_queue.pop_front();
            const bool write = m_tee >= 0 && m_err == 0;
            l.unlock();
            m_hash.update(data, size);
            const int err = write && !writeAll(m_tee, data, size) ? errno : 0;
            l.lock();
            if (err && !m_err)
                m_err = err;
            ++m_done;
            m_idle.notify_all();
        }
    }

    int m_tee;
    Sha256 m_hash;
    std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<std::pair<const char *, size_t>> m_queue;
    uint64_t m_pushed = 0, m_done = 0;
    int m_err = 0;
    bool m_closing = false;
    std::thread m_thread; // last: started once the members above exist
};

// The raw stream: the file's bytes as they are (hashed into the blob digest and
// copied to the blob by the sink), decompressed by libarchive's filters.
// libarchive keeps the block last returned until the next call, and the sink may
// still be on the two before it: three buffers in turn.
struct RawSource {
    static constexpr int kBuffers = 3;
    int fd = -1;
    BlobSink *sink = nullptr;
    uint64_t blobSize = 0;
    uint64_t blocks = 0;
    std::vector<char> buffers[kBuffers] = {std::vector<char>(kBlock), std::vector<char>(kBlock),
                                           std::vector<char>(kBlock)};
    int err = 0;
    bool teeFailed = false;
};

la_ssize_t readRaw(archive *a, void *ctx, const void **out)
{
    auto *s = static_cast<RawSource *>(ctx);
    std::vector<char> &buffer = s->buffers[s->blocks % RawSource::kBuffers];
    const uint64_t reuse = s->blocks >= RawSource::kBuffers ? s->blocks - RawSource::kBuffers + 1 : 0;
    if (int err = s->sink->waitFor(reuse)) {
        s->err = err;
        s->teeFailed = true;
        archiveApi().set_error(a, err, "write blob: %s", errnoText(err).c_str());
        return -1;
    }
    ssize_t n;
    do {
        n = read(s->fd, buffer.data(), buffer.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        s->err = errno;
        archiveApi().set_error(a, errno, "read: %s", errnoText(errno).c_str());
        return -1;
    }
    if (n > 0) {
        s->sink->push(buffer.data(), static_cast<size_t>(n));
        ++s->blocks;
    }
    s->blobSize += static_cast<uint64_t>(n);
    *out = buffer.data();
    return n;
}

// The tar stream: the decompressed bytes, hashed into the diff_id.
struct TarSource {
    archive *raw = nullptr;
    bool hash = true; // false when not compressed: the diff_id is the blob digest
    Sha256 diff;
    bool ended = false;
    std::string error;
};

la_ssize_t readTar(archive *a, void *ctx, const void **out)
{
    auto *s = static_cast<TarSource *>(ctx);
    if (s->ended)
        return 0;
    size_t size = 0;
    la_int64_t offset = 0;
    int r = archiveApi().read_data_block(s->raw, out, &size, &offset);
    if (r == ARCHIVE_EOF) {
        s->ended = true;
        return 0;
    }
    if (r < ARCHIVE_WARN) {
        const char *why = archiveApi().error_string(s->raw);
        s->error = why ? why : "the stream is corrupt";
        archiveApi().set_error(a, EIO, "%s", s->error.c_str());
        return -1;
    }
    if (s->hash)
        s->diff.update(*out, size);
    return static_cast<la_ssize_t>(size);
}

class Extractor {
public:
    Extractor(int root, const ExtractOptions &o) : m_root(root), m_o(o) {}
    void apply(archive *a, archive_entry *e);
    void setDirTimes() const;
    uint64_t size() const { return m_size; }

private:
    [[noreturn]] void refuse(const std::string &why) const
    {
        throw Error(m_o.layer + ": entry \"" + m_entry + "\" " + why + "; refused");
    }
    [[noreturn]] void fail(const char *op, int err) const
    {
        throw Error(m_o.layer + ": " + op + " \"" + m_entry + "\": " + errnoText(err), err);
    }
    std::vector<std::string> components(const std::string &path, const char *what) const;
    int parent(const std::vector<std::string> &parts, bool create);
    void clear(int dir, const std::string &name, bool keepDir);
    void whiteout(int dir, const std::string &base);
    void regular(archive *a, archive_entry *e, int dir, const std::string &base);
    void hardlink(archive_entry *e, int dir, const std::string &base);
    void owner(int dir, const std::string &base, archive_entry *e);
    void directory(archive_entry *e, int dir, const std::vector<std::string> &parts);
    void metadata(int fd, archive_entry *e);
    void xattrs(int fd, archive_entry *e);

    int m_root;
    const ExtractOptions &m_o;
    std::string m_entry;
    // The last parent directory opened: tar lists a directory's files together, so
    // most entries skip the walk from the root.
    std::string m_cachedPath;
    Fd m_cached;
    uint64_t m_size = 0;
    // Directory mtimes, set once the whole layer is written: every entry made in a
    // directory after its own entry moves its mtime to now.
    struct DirTime {
        std::vector<std::string> parts;
        time_t mtime;
    };
    std::vector<DirTime> m_dirTimes;
    bool m_xattrWarned = false;
};

std::vector<std::string> Extractor::components(const std::string &path, const char *what) const
{
    if (path.empty())
        refuse(std::string("has an empty ") + what);
    if (path[0] == '/')
        refuse(std::string("has an absolute ") + what + " (\"" + path + "\")");
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        std::string c = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (c == "..")
            refuse(std::string("climbs out of the layer with \"..\" in its ") + what);
        if (!c.empty() && c != ".")
            parts.push_back(std::move(c));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return parts;
}

// The directory holding the last component, walked one component at a time with
// O_NOFOLLOW: a symlink on the way is refused, never followed.
int Extractor::parent(const std::vector<std::string> &parts, bool create)
{
    std::string path;
    for (size_t i = 0; i + 1 < parts.size(); ++i)
        path += parts[i] + "/";
    if (m_cached && path == m_cachedPath)
        return m_cached.get();
    m_cached.reset();
    Fd cur(fcntl(m_root, F_DUPFD_CLOEXEC, 0));
    std::string walked;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const std::string &c = parts[i];
        walked += (walked.empty() ? "" : "/") + c;
        int fd = openat(cur.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && create) {
            if (mkdirat(cur.get(), c.c_str(), 0755) < 0 && errno != EEXIST)
                fail("mkdir", errno);
            fd = openat(cur.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0) {
            struct stat st {};
            if (fstatat(cur.get(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
                refuse("goes through the symlink \"" + walked + "\"");
            if (errno == ENOTDIR || (errno == ENOENT && !create))
                refuse("goes through \"" + walked + "\", which is not a directory of the layer");
            fail("open", errno);
        }
        cur.reset(fd);
    }
    m_cachedPath = path;
    m_cached = std::move(cur);
    return m_cached.get();
}

// Makes room for a new entry: tar's rule is that a later entry replaces an earlier
// one, except that a directory stays a directory.
void Extractor::clear(int dir, const std::string &name, bool keepDir)
{
    struct stat st {};
    if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
        return;
    if (keepDir && S_ISDIR(st.st_mode))
        return;
    if (!removeAt(dir, name))
        fail("remove", errno);
}

void Extractor::whiteout(int dir, const std::string &base)
{
    if (base == ".wh..wh..opq") {
        const char *attr = m_o.userXattr ? "user.overlay.opaque" : "trusted.overlay.opaque";
        if (fsetxattr(dir, attr, "y", 1, 0) < 0)
            fail("mark opaque", errno);
        return;
    }
    if (base.rfind(".wh..wh.", 0) == 0)
        refuse("is an AUFS metadata name that overlayfs does not know");
    const std::string target = base.substr(4);
    if (target.empty())
        refuse("is a bare whiteout (\".wh.\" with no name after it)");
    if (target == "." || target == "..")
        refuse("whites out \"" + target + "\", which is not a file");
    clear(dir, target, false);
    // An unprivileged mknod of a 0/0 character device is allowed (Linux 5.8): it is
    // what overlayfs itself writes for a whiteout.
    if (mknodat(dir, target.c_str(), S_IFCHR | 0000, makedev(0, 0)) < 0)
        fail("mknod whiteout", errno);
}

void Extractor::owner(int dir, const std::string &base, archive_entry *e)
{
    if (!m_o.asRoot)
        return;
    if (fchownat(dir, base.c_str(), static_cast<uid_t>(archiveApi().entry_uid(e)),
                 static_cast<gid_t>(archiveApi().entry_gid(e)), AT_SYMLINK_NOFOLLOW) < 0)
        fail("chown", errno);
}

void Extractor::regular(archive *a, archive_entry *e, int dir, const std::string &base)
{
    clear(dir, base, false);
    // O_EXCL|O_NOFOLLOW: the name was just cleared, so nothing is written through a
    // link that an earlier entry left there.
    Fd out(openat(dir, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out)
        fail("create", errno);
    const void *buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int r;
    while ((r = archiveApi().read_data_block(a, &buf, &size, &offset)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *p = static_cast<const char *>(buf);
        while (size > 0) {
            ssize_t n = pwrite(out.get(), p, size, offset);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                fail("write", errno);
            p += n;
            offset += n;
            size -= static_cast<size_t>(n);
        }
    }
    if (r != ARCHIVE_EOF) {
        const char *why = archiveApi().error_string(a);
        throw Error(m_o.layer + ": read \"" + m_entry + "\": " + (why ? why : "the stream is corrupt"));
    }
    const la_int64_t total = archiveApi().entry_size(e);
    if (ftruncate(out.get(), total) < 0) // a sparse file's hole at its end
        fail("write", errno);
    m_size += static_cast<uint64_t>(total);
    metadata(out.get(), e);
    timespec times[2] = {{archiveApi().entry_mtime(e), 0}, {archiveApi().entry_mtime(e), 0}};
    futimens(out.get(), times);
}

void Extractor::hardlink(archive_entry *e, int dir, const std::string &base)
{
    const std::string target = archiveApi().entry_hardlink(e);
    if (!target.empty() && target[0] == '/')
        refuse("is a hardlink to \"" + target + "\", outside the layer");
    std::vector<std::string> parts;
    try {
        parts = components(target, "hardlink target");
    } catch (const Error &) {
        refuse("is a hardlink to \"" + target + "\", outside the layer");
    }
    if (parts.empty())
        refuse("is a hardlink to the layer's root");
    Fd keep(fcntl(dir, F_DUPFD_CLOEXEC, 0)); // parent() below may replace the cached fd
    int from = parent(parts, false);
    struct stat st {};
    if (fstatat(from, parts.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
        refuse("is a hardlink to \"" + target + "\", which the layer has not written before it");
    if (S_ISDIR(st.st_mode))
        refuse("is a hardlink to the directory \"" + target + "\"");
    clear(keep.get(), base, false);
    if (linkat(from, parts.back().c_str(), keep.get(), base.c_str(), 0) < 0)
        fail("link", errno);
}

void Extractor::directory(archive_entry *e, int dir, const std::vector<std::string> &parts)
{
    const std::string &base = parts.back();
    clear(dir, base, true);
    if (mkdirat(dir, base.c_str(), 0700) < 0 && errno != EEXIST)
        fail("mkdir", errno);
    Fd fd(openat(dir, base.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd)
        fail("open", errno);
    metadata(fd.get(), e);
    m_dirTimes.push_back({parts, archiveApi().entry_mtime(e)});
}

// Owner (as root), mode and xattrs of the file or directory open at fd.
void Extractor::metadata(int fd, archive_entry *e)
{
    if (m_o.asRoot && fchown(fd, static_cast<uid_t>(archiveApi().entry_uid(e)),
                             static_cast<gid_t>(archiveApi().entry_gid(e))) < 0)
        fail("chown", errno);
    if (fchmod(fd, archiveApi().entry_perm(e) & (m_o.asRoot ? 07777 : 0777)) < 0)
        fail("chmod", errno);
    xattrs(fd, e);
}

// The entry's extended attributes (PAX SCHILY.xattr.*), on the fd just written.
// overlayfs's own (trusted.overlay.*, user.overlay.*) are never taken from a layer:
// a redirect or an origin in a tar would steer the kernel's lookups. Without root
// only user.* can be set; the others are skipped, with one warning.
void Extractor::xattrs(int fd, archive_entry *e)
{
    if (archiveApi().entry_xattr_reset(e) == 0)
        return;
    const char *name = nullptr;
    const void *value = nullptr;
    size_t size = 0;
    while (archiveApi().entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
        const std::string n = name ? name : "";
        if (n.empty() || n.rfind("trusted.overlay.", 0) == 0 || n.rfind("user.overlay.", 0) == 0)
            continue;
        const bool settable = m_o.asRoot || n.rfind("user.", 0) == 0;
        if (settable && fsetxattr(fd, n.c_str(), value, size, 0) == 0)
            continue;
        if (settable && errno != EPERM && errno != ENOTSUP)
            fail("set xattr", errno);
        if (m_o.warn && !m_xattrWarned)
            m_o.warn(m_o.layer + ": extended attribute " + n + " of \"" + m_entry + "\" skipped ("
                     + (settable ? errnoText(errno) : std::string("only user.* can be set without root"))
                     + "; later ones are skipped without a word)");
        m_xattrWarned = true;
    }
}

// Each directory's own mtime, walked again with O_NOFOLLOW: a directory a later
// entry replaced (by a symlink, say) is passed over, never followed.
void Extractor::setDirTimes() const
{
    for (const DirTime &d : m_dirTimes) {
        Fd cur(fcntl(m_root, F_DUPFD_CLOEXEC, 0));
        for (size_t i = 0; cur && i < d.parts.size(); ++i)
            cur.reset(openat(cur.get(), d.parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!cur)
            continue;
        const timespec times[2] = {{d.mtime, 0}, {d.mtime, 0}};
        futimens(cur.get(), times);
    }
}

void Extractor::apply(archive *a, archive_entry *e)
{
    const char *name = archiveApi().entry_pathname(e);
    m_entry = name ? name : "";
    const mode_t type = archiveApi().entry_filetype(e);
    // umoci and `tar -C dir .` write the root itself as a directory "." or "./":
    // the store made that directory, so the entry is skipped. Anything else with
    // that name (a file, a link, a hardlink) is refused.
    const bool rootName = m_entry == "." || m_entry == "./" || m_entry == "/";
    if (rootName && (type != AE_IFDIR || archiveApi().entry_hardlink(e)))
        refuse("names the layer's root");
    if (rootName)
        return;
    std::vector<std::string> parts = components(m_entry, "name");
    if (parts.empty()) {
        if (type == AE_IFDIR && !archiveApi().entry_hardlink(e))
            return;
        refuse("names the layer's root");
    }
    int dir = parent(parts, true);
    const std::string &base = parts.back();
    if (m_o.overlayWhiteouts && base.rfind(".wh.", 0) == 0)
        return whiteout(dir, base);
    if (archiveApi().entry_hardlink(e))
        return hardlink(e, dir, base);
    switch (type) {
    case AE_IFREG: return regular(a, e, dir, base);
    case AE_IFDIR: return directory(e, dir, parts);
    case AE_IFLNK: {
        clear(dir, base, false);
        const char *target = archiveApi().entry_symlink(e);
        if (symlinkat(target ? target : "", dir, base.c_str()) < 0)
            fail("symlink", errno);
        return owner(dir, base, e);
    }
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: {
        if (type != AE_IFIFO && !m_o.asRoot) {
            if (m_o.warn)
                m_o.warn(m_o.layer + ": device node \"" + m_entry
                         + "\" skipped (a user without root may not make device nodes)");
            return;
        }
        clear(dir, base, false);
        if (mknodat(dir, base.c_str(), type | (archiveApi().entry_perm(e) & 07777), archiveApi().entry_rdev(e)) < 0)
            fail("mknod", errno);
        return owner(dir, base, e);
    }
    default: refuse("has a type that a layer cannot hold");
    }
}

Archive newReader()
{
    Archive a(archiveApi().read_new(), archiveApi().read_free);
    if (!a)
        throw Error("libarchive: out of memory");
    return a;
}

} // namespace

bool removeAt(int dirFd, const std::string &name)
{
    if (unlinkat(dirFd, name.c_str(), 0) == 0)
        return true;
    if (errno != EISDIR && errno != EPERM)
        return errno == ENOENT;
    Fd sub(openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub)
        return false;
    DIR *d = fdopendir(fcntl(sub.get(), F_DUPFD_CLOEXEC, 0));
    if (!d)
        return false;
    std::vector<std::string> names;
    while (dirent *de = readdir(d)) {
        std::string n = de->d_name;
        if (n != "." && n != "..")
            names.push_back(n);
    }
    closedir(d);
    for (const std::string &n : names) {
        if (!removeAt(sub.get(), n))
            return false;
    }
    return unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT;
}

std::string compressionOf(int fd)
{
    unsigned char magic[4] = {};
    ssize_t n = pread(fd, magic, sizeof magic, 0);
    if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return "gzip";
    if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
        return "zstd";
    return "";
}

ExtractResult extractTar(int src, int tee, int targetDir, const ExtractOptions &options)
{
    RawSource raw;
    BlobSink sink(tee); // after raw: joined before raw's buffers go
    raw.fd = src;
    raw.sink = &sink;
    Archive outer = newReader();
    archiveApi().read_support_filter_all(outer.get());
    archiveApi().read_support_format_raw(outer.get());
    if (archiveApi().read_open(outer.get(), &raw, nullptr, readRaw, nullptr) != ARCHIVE_OK)
        throw Error(options.layer + ": " + (archiveApi().error_string(outer.get()) ? archiveApi().error_string(outer.get())
                                                                              : "cannot be read"));
    archive_entry *rawEntry = nullptr;
    if (archiveApi().read_next_header(outer.get(), &rawEntry) != ARCHIVE_OK)
        throw Error(options.layer + ": is empty or not a tar stream");

    TarSource tar;
    tar.raw = outer.get();
    // Only the client's own reader, no decompression filter: the tar stream is the
    // blob byte for byte, and hashing it twice would cost as much as unpacking it.
    tar.hash = archiveApi().filter_count(outer.get()) > 1;
    Archive inner = newReader();
    archiveApi().read_support_format_tar(inner.get());
    archiveApi().read_support_format_gnutar(inner.get());
    if (archiveApi().read_open(inner.get(), &tar, nullptr, readTar, nullptr) != ARCHIVE_OK)
        throw Error(options.layer + ": not a tar archive");
    Extractor x(targetDir, options);
    ExtractResult result;
    archive_entry *e = nullptr;
    int r;
    while ((r = archiveApi().read_next_header(inner.get(), &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        x.apply(inner.get(), e);
        ++result.entries;
    }
    if (r != ARCHIVE_EOF) {
        if (raw.err)
            throw Error::sys(options.layer + (raw.teeFailed ? ": write blob" : ": read"), "", raw.err);
        std::string why = !tar.error.empty() ? tar.error
                          : archiveApi().error_string(inner.get()) ? archiveApi().error_string(inner.get())
                                                              : "the tar stream is corrupt";
        throw Error(options.layer + ": " + why + " (truncated or corrupt)");
    }
    x.setDirTimes();
    // The digests cover the whole stream, the padding after the tar's end included.
    const void *out = nullptr;
    while (readTar(inner.get(), &tar, &out) > 0) {
    }
    if (!tar.error.empty())
        throw Error(options.layer + ": " + tar.error + " (truncated or corrupt)");
    if (int err = sink.drain())
        throw Error::sys(options.layer + ": write blob", "", err);
    result.blobDigest = sink.digest();
    result.blobSize = raw.blobSize;
    result.diffId = tar.hash ? tar.diff.finish() : result.blobDigest;
    result.size = x.size();
    return result;
}

} // namespace hood::image
