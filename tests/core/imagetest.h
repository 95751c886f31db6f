// Hand-made tar layers and OCI layouts for the image tests, written with libarchive.
#pragma once

#include "image/digest.h"
#include "sys/fileio.h"

#include <archive.h>
#include <archive_entry.h>

#include <QString>
#include <QTemporaryDir>

#include <string>
#include <functional>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include <utility>
#include <vector>

namespace imagetest {

struct TarEntry {
    using Xattrs = std::vector<std::pair<std::string, std::string>>;
    TarEntry() = default;
    TarEntry(char t, std::string n, std::string d, Xattrs x = {})
        : type(t), name(std::move(n)), data(std::move(d)), xattrs(std::move(x))
    {
    }
    char type = 'f';     // f file, d dir, l symlink, h hardlink, c char device
    std::string name;
    std::string data;    // a file's content, a link's target
    Xattrs xattrs;       // PAX SCHILY.xattr.NAME
};

// A tar of entries, compressed with "gzip", "zstd" or "" (plain), at path.
inline void writeTar(const std::string &path, const std::vector<TarEntry> &entries, const std::string &filter = {})
{
    archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (filter == "gzip")
        archive_write_add_filter_gzip(a);
    else if (filter == "zstd")
        archive_write_add_filter_zstd(a);
    archive_write_open_filename(a, path.c_str());
    for (const TarEntry &t : entries) {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, t.name.c_str());
        archive_entry_set_perm(e, t.type == 'd' ? 0755 : 0644);
        archive_entry_set_mtime(e, 1700000000, 0);
        switch (t.type) {
        case 'd': archive_entry_set_filetype(e, AE_IFDIR); break;
        case 'l':
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, t.data.c_str());
            break;
        case 'h':
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, t.data.c_str());
            break;
        case 'c':
            archive_entry_set_filetype(e, AE_IFCHR);
            archive_entry_set_rdev(e, makedev(1, 3));
            break;
        default:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_size(e, static_cast<la_int64_t>(t.data.size()));
        }
        for (const auto &[name, value] : t.xattrs)
            archive_entry_xattr_add_entry(e, name.c_str(), value.data(), value.size());
        archive_write_header(a, e);
        if (t.type == 'f' && !t.data.empty())
            archive_write_data(a, t.data.data(), t.data.size());
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

// What `body` returns, run in a forked child (a namespace or uid of its own must
// not touch the test process); an exception's sentence becomes "error: ...".
inline std::string inChild(const std::function<std::string()> &body)
{
    int pipefd[2];
    if (pipe(pipefd) < 0)
        return "error: pipe";
    const pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        std::string out;
        try {
            out = body();
        } catch (const std::exception &e) {
            out = std::string("error: ") + e.what();
        }
        hood::writeAll(pipefd[1], out.data(), out.size());
        _exit(0);
    }
    close(pipefd[1]);
    std::string got;
    hood::preadAll(pipefd[0], got);
    close(pipefd[0]);
    waitpid(pid, nullptr, 0);
    return got;
}

inline std::string fileDigest(const std::string &path)
{
    return hood::image::sha256Digest(hood::readFile(path));
}

} // namespace imagetest
