// Shared libraries opened at run time, for the libraries only some verbs use
// (libcurl, libarchive): linked in, their dependencies would be loaded and
// relocated by every hoodctl run (docs/design-changes.md). The handle is never
// closed: the resolved function tables live as long as the process.
#pragma once

#include <string>

namespace hood {

class DynLib {
public:
    // dlopen(soname) for `purpose` ("registry access (Debian package libcurl4)");
    // throws hood::Error "load <soname> for <purpose>: <dlerror>" when it fails.
    DynLib(const char *soname, const char *purpose);

    // Resolves `name` into `slot`, with the same sentence when it is missing.
    template <typename F>
    void get(const char *name, F &slot) const
    {
        slot = reinterpret_cast<F>(symbol(name));
    }

private:
    void *symbol(const char *name) const;
    [[noreturn]] void fail() const;

    void *m_handle;
    std::string m_soname;
    std::string m_purpose;
};

} // namespace hood
