#include "vm/kernel.h"

#include "error.h"
#include "sys/fd.h"
#include "vm/subprocess.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace hood::vm {
namespace {

const std::vector<std::string> kAptOptions = {"-q", "-o", "Acquire::Retries=2", "-o", "Acquire::http::Timeout=30",
                                              "-o", "Acquire::https::Timeout=30"};

// apt's first "E: ..." line says it all ("Failed to fetch URL  Temporary failure
// resolving ..."); else its last line.
std::string aptSentence(const std::string &output)
{
    size_t e = output.find("E: ");
    std::string line;
    if (e != std::string::npos) {
        line = output.substr(e + 3, output.find('\n', e) - e - 3);
    } else {
        std::string trimmed = output.substr(0, output.find_last_not_of("\n ") + 1);
        line = trimmed.substr(trimmed.rfind('\n') + 1);
    }
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    return line;
}

ProgramResult aptDownload(const std::string &dir, const std::string &package)
{
    std::vector<std::string> argv = {"apt-get", "download"};
    argv.insert(argv.end(), kAptOptions.begin(), kAptOptions.end());
    argv.push_back(package);
    return runProgram(argv, dir);
}

// Package lists older than the mirror name files it no longer has: as root they
// are refreshed once (apt-get update, as scripts/setup.sh does) and it is tried again.
void download(const std::string &dir, const std::string &package, bool &updated)
{
    ProgramResult r = aptDownload(dir, package);
    if (r.status == 0)
        return;
    bool stale = r.output.find("404") != std::string::npos || r.output.find("Unable to locate") != std::string::npos
        || r.output.find("t select") != std::string::npos;
    if (::geteuid() == 0 && !updated && stale) {
        updated = true;
        runProgram({"apt-get", "update", "-q"});
        r = aptDownload(dir, package);
        if (r.status == 0)
            return;
    }
    throw Error("apt-get download " + package + " failed: " + aptSentence(r.output));
}

std::string onlyDeb(const std::string &dir, const std::string &prefix)
{
    for (const fs::directory_entry &e : fs::directory_iterator(dir)) {
        std::string name = e.path().filename();
        if (name.starts_with(prefix + "_") && name.ends_with(".deb"))
            return e.path();
    }
    throw Error("apt-get download left no " + prefix + "_*.deb in " + dir);
}

std::string field(const std::string &deb, const std::string &name)
{
    ProgramResult r = runProgram({"dpkg-deb", "-f", deb, name});
    if (r.status != 0)
        throw Error("dpkg-deb -f " + deb + " " + name + " failed: " + aptSentence(r.output));
    return r.output.substr(0, r.output.find_last_not_of("\n ") + 1);
}

// The modules' index (modules.dep, ...) is made by the package's postinst, which
// unpacking does not run: depmod makes it (kmod's, else busybox's).
void indexModules(const std::string &root, const std::string &version)
{
    std::string depmod;
    for (const char *p : {"/usr/sbin/depmod", "/sbin/depmod"})
        if (::access(p, X_OK) == 0)
            depmod = p;
    std::vector<std::string> argv = depmod.empty() ? std::vector<std::string>{"busybox", "depmod"}
                                                   : std::vector<std::string>{depmod};
    argv.insert(argv.end(), {"-b", root, version});
    ProgramResult r = runProgram(argv);
    if (r.status != 0)
        throw Error("depmod -b " + root + " " + version + " failed: " + aptSentence(r.output));
}

Kernel kernelAt(const std::string &vmlinuz, const std::string &how)
{
    Kernel k;
    k.vmlinuz = vmlinuz;
    k.version = fs::path(vmlinuz).filename().string().substr(std::strlen("vmlinuz-"));
    fs::path top = fs::path(vmlinuz).parent_path().parent_path();
    k.modulesDir = (top / "lib/modules" / k.version).string();
    if (top == "/" || !fs::exists(k.modulesDir))
        k.modulesDir = "/lib/modules/" + k.version;
    k.how = how;
    return k;
}

// Two runs sharing the cache would download into the same place.
Fd lockCache(const std::string &cacheDir)
{
    fs::create_directories(cacheDir);
    std::string path = cacheDir + "/lock";
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd)
        throw Error::sys("open", path, errno);
    check(::flock(fd.get(), LOCK_EX), "flock", path);
    return fd;
}

} // namespace

std::optional<std::string> newestCloudKernel(const std::string &bootDir)
{
    std::vector<std::string> found;
    std::error_code ec;
    for (const fs::directory_entry &e : fs::directory_iterator(bootDir, ec)) {
        std::string name = e.path().filename();
        if (name.starts_with("vmlinuz-") && name.ends_with("-cloud-amd64"))
            found.push_back(e.path());
    }
    if (found.empty())
        return std::nullopt;
    return *std::max_element(found.begin(), found.end(),
                             [](const std::string &a, const std::string &b) { return ::strverscmp(a.c_str(), b.c_str()) < 0; });
}

std::optional<Kernel> cachedKernel(const std::string &cacheDir)
{
    std::optional<std::string> v = newestCloudKernel(cacheDir + "/root/boot");
    if (!v)
        return std::nullopt;
    Kernel k = kernelAt(*v, "reused " + *v + " (downloaded earlier, not installed)");
    if (!fs::exists(k.modulesDir + "/modules.dep"))
        return std::nullopt;
    return k;
}

Kernel fetchKernel(const std::string &cacheDir)
{
    if (findInPath("apt-get").empty() || findInPath("dpkg-deb").empty())
        throw Error(std::string("downloading ") + kKernelPackage + " needs apt-get and dpkg-deb (Debian or Ubuntu)");
    const std::string dl = cacheDir + "/download";
    fs::remove_all(dl);
    fs::create_directories(dl);
    bool updated = false;
    download(dl, kKernelPackage, updated);
    // "linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)"
    std::string dep = field(onlyDeb(dl, kKernelPackage), "Depends");
    dep = dep.substr(0, dep.find(','));
    std::string name = dep.substr(0, dep.find(' '));
    std::string version;
    if (size_t eq = dep.find("(= "); eq != std::string::npos)
        version = dep.substr(eq + 3, dep.find(')', eq) - eq - 3);
    if (!name.starts_with("linux-image-"))
        throw Error(std::string(kKernelPackage) + " depends on \"" + dep + "\", not on a linux-image package");
    download(dl, version.empty() ? name : name + "=" + version, updated);
    unpackDeb(onlyDeb(dl, name), dl + "/root");
    // Debian after 12 keeps the modules in /usr/lib/modules only.
    if (!fs::exists(dl + "/root/lib") && fs::is_directory(dl + "/root/usr/lib/modules"))
        fs::create_symlink("usr/lib", dl + "/root/lib");
    std::optional<std::string> vmlinuz = newestCloudKernel(dl + "/root/boot");
    if (!vmlinuz)
        throw Error(name + " has no /boot/vmlinuz-*-cloud-amd64");
    std::string kver = fs::path(*vmlinuz).filename().string().substr(std::strlen("vmlinuz-"));
    indexModules(dl + "/root", kver);
    fs::remove_all(cacheDir + "/root");
    fs::rename(dl + "/root", cacheDir + "/root");
    fs::remove_all(dl);
    return kernelAt(cacheDir + "/root/boot/vmlinuz-" + kver,
                    "downloaded " + name + " " + version + " (not installed) into " + cacheDir);
}

Kernel findKernel(const std::string &cacheDir, bool fetch)
{
    Fd lock = lockCache(cacheDir);
    if (std::optional<Kernel> k = cachedKernel(cacheDir))
        return *k;
    std::string why = "no kernel in " + cacheDir + " and downloading was not asked for";
    if (fetch) {
        try {
            return fetchKernel(cacheDir);
        } catch (const Error &e) {
            why = e.what();
        }
    }
    if (std::optional<std::string> installed = newestCloudKernel("/boot"))
        return kernelAt(*installed, why + "; using the installed " + *installed);
    throw Error("cannot get a kernel for the VM: " + why + ". Install the Debian package "
                + kKernelPackage + ", or let Hood download it (hoodctl vm kernel).");
}

std::string defaultKernelCache()
{
    if (const char *env = std::getenv("HOOD_VM_KERNEL_CACHE"); env && *env)
        return env;
#ifdef HOOD_BUILD_DIR
    // Run from the build tree: the cache tests/vm fills.
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && self.string().starts_with(HOOD_BUILD_DIR "/"))
        return HOOD_BUILD_DIR "/vm-cache";
#endif
    const char *xdg = std::getenv("XDG_CACHE_HOME");
    const char *home = std::getenv("HOME");
    std::string base = xdg && *xdg ? xdg : std::string(home && *home ? home : "/tmp") + "/.cache";
    return base + "/hood/vm";
}

void unpackDeb(const std::string &deb, const std::string &dir)
{
    ProgramResult r = runProgram({"dpkg-deb", "-x", deb, dir});
    if (r.status != 0)
        throw Error("dpkg-deb -x " + deb + " " + dir + " failed: " + aptSentence(r.output));
}

std::string downloadForeignDeb(const std::string &package, const std::string &arch, const std::string &dir)
{
    ProgramResult uris = runProgram({"apt-get", "download", "--print-uris", package});
    // 'MIRROR/pool/main/b/busybox/busybox-static_1.35.0-4%2bdeb12u1%2bb1_amd64.deb' name size hash
    size_t q = uris.output.find('\'');
    size_t end = q == std::string::npos ? q : uris.output.find('\'', q + 1);
    if (uris.status != 0 || end == std::string::npos)
        throw Error("apt-get download --print-uris " + package + " failed: " + aptSentence(uris.output));
    std::string url = uris.output.substr(q + 1, end - q - 1);
    size_t us = url.rfind('_');
    if (us == std::string::npos || !url.ends_with(".deb"))
        throw Error("apt-get download --print-uris " + package + " gave " + url + ", not a .deb");
    std::vector<std::string> tries = {url.substr(0, us) + "_" + arch + ".deb"};
    // A binNMU ("+b1", "%2bb1") of the host's architecture may not exist for arch.
    if (size_t b = tries[0].rfind("%2bb"); b != std::string::npos)
        tries.push_back(tries[0].substr(0, b) + "_" + arch + ".deb");
    fs::create_directories(dir);
    std::string out = dir + "/" + package + "_" + arch + ".deb";
    std::string last;
    for (const std::string &u : tries) {
        ProgramResult r = runProgram({"curl", "-fsSL", "--retry", "2", "-m", "120", "-o", out + ".part", u});
        if (r.status == 0) {
            fs::rename(out + ".part", out);
            return out;
        }
        last = "curl " + u + " failed: " + aptSentence(r.output);
    }
    fs::remove(out + ".part");
    throw Error(last);
}

} // namespace hood::vm
