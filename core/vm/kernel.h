// The kernel a Hood VM boots: Debian's linux-image-cloud-amd64, fetched with
// `apt-get download` and unpacked into a cache (never installed, so the machine's
// boot menu does not change), as tests/vm has always done; one installed in /boot
// is the fallback. The VM suite (tests/vm/run-vm-tests, through `hoodctl vm
// kernel`) and `hoodctl vm boot` share this code and the cache.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hood::vm {

inline constexpr const char *kKernelPackage = "linux-image-cloud-amd64";

struct Kernel {
    std::string vmlinuz;    // .../boot/vmlinuz-6.1.0-57-cloud-amd64
    std::string version;    // 6.1.0-57-cloud-amd64
    std::string modulesDir; // .../lib/modules/<version>, with modules.dep
    std::string how;        // one sentence: reused from the cache, downloaded, installed
};

// The newest vmlinuz-*-cloud-amd64 in dir, by version ("6.1.0-57" after "6.1.0-9").
std::optional<std::string> newestCloudKernel(const std::string &bootDir);

// The kernel in cacheDir/root (from an earlier download), if it is complete.
std::optional<Kernel> cachedKernel(const std::string &cacheDir);

// Downloads the meta package, then the linux-image package it depends on, unpacks
// that into cacheDir/root and indexes its modules (depmod). Throws hood::Error with
// apt's own sentence when the download fails.
Kernel fetchKernel(const std::string &cacheDir);

// The cached kernel; else downloaded now (when fetch); else the newest installed
// in /boot. Throws hood::Error saying why none is to be had and what to install.
Kernel findKernel(const std::string &cacheDir, bool fetch = true);

// The default cache: $HOOD_VM_KERNEL_CACHE, else <build tree>/vm-cache when Hood
// runs from its build tree, else $XDG_CACHE_HOME/hood/vm (~/.cache/hood/vm).
std::string defaultKernelCache();

// The .deb an apt source would serve for package:arch in the version apt knows for
// the host's architecture (`apt-get download --print-uris`, with the host's
// architecture in the file name replaced; without a binNMU suffix "+bN" when the
// mirror has none), so a foreign package (arm64) is fetched without adding an
// architecture to the machine's apt configuration (`apt-get download pkg:arm64`
// needs `dpkg --add-architecture`). Downloads with curl. Returns the .deb's path.
std::string downloadForeignDeb(const std::string &package, const std::string &arch, const std::string &dir);

// Unpacks a .deb into dir (dpkg-deb -x).
void unpackDeb(const std::string &deb, const std::string &dir);

} // namespace hood::vm
