#include "vm/initramfs.h"

#include "error.h"
#include "sys/fileio.h"

#include <cstdio>
#include <filesystem>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace hood::vm {
namespace {

void pad4(std::string &out)
{
    while (out.size() % 4)
        out.push_back('\0');
}

void header(std::string &out, unsigned ino, const CpioEntry &e, size_t fileSize)
{
    char h[111];
    // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
    // rdevmajor, rdevminor, namesize, check: 8 hex digits each.
    std::snprintf(h, sizeof h, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", ino, e.mode, 0u, 0u,
                  S_ISDIR(e.mode) ? 2u : 1u, 0u, fileSize, 0u, 0u, e.rdevMajor, e.rdevMinor, e.path.size() + 1, 0u);
    out.append(h, 110);
    out.append(e.path);
    out.push_back('\0');
    pad4(out);
}

} // namespace

std::string cpioNewc(const std::vector<CpioEntry> &entries)
{
    std::string out;
    unsigned ino = 1;
    for (const CpioEntry &e : entries) {
        bool hasData = S_ISREG(e.mode) || S_ISLNK(e.mode);
        header(out, ino++, e, hasData ? e.data.size() : 0);
        if (hasData) {
            out.append(e.data);
            pad4(out);
        }
    }
    header(out, 0, CpioEntry{"TRAILER!!!", 0, {}, 0, 0}, 0);
    // The kernel reads the archive in 512-byte blocks, as cpio writes it.
    while (out.size() % 512)
        out.push_back('\0');
    return out;
}

std::string bootInitScript()
{
    // The marker comes before anything else: what is timed is the kernel's boot up
    // to the first command of the first user-space program.
    return std::string("#!/bin/busybox sh\n") + "/bin/busybox echo " + kInitMarker + "\n"
        + "/bin/busybox mount -t proc proc /proc\n"
          "read up idle < /proc/uptime\n"
          "/bin/busybox echo \""
        + kUptimeMarker + " $up\"\n" + "/bin/busybox poweroff -f\n";
}

std::string bootInitramfs(const std::string &dir, const std::string &busyboxPath)
{
    struct stat st {};
    if (::stat(busyboxPath.c_str(), &st) != 0)
        throw Error::sys("stat", busyboxPath, errno);
    const std::string key = busyboxPath + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtime) + "\n"
        + bootInitScript();
    const std::string cpio = dir + "/boot.cpio", keyFile = dir + "/boot.key";
    if (fs::exists(cpio) && readFileIfExists(keyFile).value_or("") == key)
        return cpio;
    std::vector<CpioEntry> entries = {
        {"bin", S_IFDIR | 0755, {}, 0, 0},
        {"dev", S_IFDIR | 0755, {}, 0, 0},
        {"dev/console", S_IFCHR | 0600, {}, 5, 1},
        {"proc", S_IFDIR | 0755, {}, 0, 0},
        {"bin/busybox", S_IFREG | 0755, readFile(busyboxPath), 0, 0},
        {"bin/sh", S_IFLNK | 0777, "busybox", 0, 0},
        {"init", S_IFREG | 0755, bootInitScript(), 0, 0},
    };
    fs::create_directories(dir);
    replaceFile(cpio, cpioNewc(entries), 0644);
    replaceFile(keyFile, key, 0644);
    return cpio;
}

} // namespace hood::vm
