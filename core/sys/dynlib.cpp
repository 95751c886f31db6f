#include "sys/dynlib.h"

#include "error.h"

#include <dlfcn.h>

namespace hood {

// RTLD_LOCAL: the library's symbols and its dependencies stay out of the global scope.
DynLib::DynLib(const char *soname, const char *purpose)
    : m_handle(dlopen(soname, RTLD_NOW | RTLD_LOCAL)), m_soname(soname), m_purpose(purpose)
{
    if (!m_handle)
        fail();
}

void *DynLib::symbol(const char *name) const
{
    void *sym = dlsym(m_handle, name);
    if (!sym)
        fail();
    return sym;
}

// dlerror() already names the library or the symbol; the sentence adds what needs it.
void DynLib::fail() const
{
    const char *why = dlerror();
    throw Error("load " + m_soname + " for " + m_purpose + ": " + (why ? why : "unknown error"));
}

} // namespace hood
