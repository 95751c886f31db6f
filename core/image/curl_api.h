// libcurl, opened with dlopen on first use. Linked in, its 32 dependencies
// (GnuTLS, Kerberos, LDAP, ...) cost every hoodctl run ~40 ms of dynamic
// loading, though only pull, push, login and build talk to a registry
// (docs/design-changes.md). The header stays for the types; only the few
// functions registry.cpp calls go through this table.
#pragma once

#include <curl/curl.h>

namespace hood {

struct CurlApi {
    decltype(&::curl_global_init) global_init;
    decltype(&::curl_easy_init) easy_init;
    decltype(&::curl_easy_cleanup) easy_cleanup;
    decltype(&::curl_easy_setopt) easy_setopt;
    decltype(&::curl_easy_getinfo) easy_getinfo;
    decltype(&::curl_easy_perform) easy_perform;
    decltype(&::curl_easy_strerror) easy_strerror;
    decltype(&::curl_slist_append) slist_append;
    decltype(&::curl_slist_free_all) slist_free_all;
};

// Opens `soname` and resolves the table; throws hood::Error in one sentence
// when the library or one of its functions is missing (sys/dynlib.h).
CurlApi loadCurlApi(const char *soname);

// The process's table from libcurl.so.4, loaded on the first call (thread-safe).
const CurlApi &curlApi();

} // namespace hood
