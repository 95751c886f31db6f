#include "image/curl_api.h"

#include "sys/dynlib.h"

namespace hood {

CurlApi loadCurlApi(const char *soname)
{
    DynLib lib(soname, "registry access (Debian package libcurl4)");
    CurlApi api{};
    lib.get("curl_global_init", api.global_init);
    lib.get("curl_easy_init", api.easy_init);
    lib.get("curl_easy_cleanup", api.easy_cleanup);
    lib.get("curl_easy_setopt", api.easy_setopt);
    lib.get("curl_easy_getinfo", api.easy_getinfo);
    lib.get("curl_easy_perform", api.easy_perform);
    lib.get("curl_easy_strerror", api.easy_strerror);
    lib.get("curl_slist_append", api.slist_append);
    lib.get("curl_slist_free_all", api.slist_free_all);
    return api;
}

const CurlApi &curlApi()
{
    static const CurlApi api = loadCurlApi("libcurl.so.4");
    return api;
}

} // namespace hood
