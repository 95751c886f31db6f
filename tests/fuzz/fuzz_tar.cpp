// A layer's tar stream (plain, gzip or zstd; hostile or truncated) through the
// safe extractor, as unprivileged extraction does it (no owners, no device
// nodes). It unpacks or throws hood::Error, and nothing is ever written beside
// the target directory: no entry climbs out, whatever it names.
#include "fuzz_common.h"
#include "image/extract.h"
#include "sys/fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// One scratch directory per fuzzing process: <tmp>/t is the layer's target, removed
// after each input, and the directory itself when the process exits (libFuzzer ends
// with exit(), which runs static destructors), so no run leaves a temp dir behind.
struct Scratch {
    std::string dir;
    Scratch()
    {
        char tmpl[] = "/tmp/hood-fuzz-tar-XXXXXX";
        const char *made = mkdtemp(tmpl);
        if (!made)
            hood::fuzz::fail("mkdtemp");
        dir = made;
    }
    ~Scratch() { rmdir(dir.c_str()); }
};

const std::string &scratch()
{
    static const Scratch s;
    return s.dir;
}

// The names in a directory, to see that only the target is there.
size_t entries(const std::string &dir)
{
    size_t n = 0;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d))
            n += std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..";
        closedir(d);
    }
    return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::Fd src(memfd_create("layer", MFD_CLOEXEC));
    if (!src || write(src.get(), data, size) != ssize_t(size) || lseek(src.get(), 0, SEEK_SET) != 0)
        hood::fuzz::fail("memfd");
    const std::string &dir = scratch();
    if (mkdir((dir + "/t").c_str(), 0700) != 0)
        hood::fuzz::fail("mkdir target");
    {
        hood::Fd base(open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
        hood::Fd target(openat(base.get(), "t", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
        hood::image::ExtractOptions options;
        options.layer = "layer fuzz";
        options.asRoot = false;
        options.warn = [](const std::string &) {};
        hood::fuzz::expectParsesOrHoodError([&] { (void)hood::image::extractTar(src.get(), -1, target.get(), options); });
        HOOD_FUZZ_CHECK(entries(dir) == 1); // only "t": nothing escaped beside it
        HOOD_FUZZ_CHECK(hood::image::removeAt(base.get(), "t"));
    }
    return 0;
}
