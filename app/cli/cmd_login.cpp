// hoodctl login [-u USER] [-p PASSWORD | --password-stdin] [--tls-verify=false]
// [--config DIR] REGISTRY: checks the credentials against the registry's /v2/ and
// stores them as Docker's config.json does (DIR, else $DOCKER_CONFIG or ~/.docker),
// where docker, skopeo and podman (--authfile) read them too.
#include "cli.h"

#include "error.h"
#include "image/registry.h"

#include <iostream>
#include <string>

namespace hoodctl {

hood::RegistryOptions registryOptions(const Options &o); // cmd_pull.cpp

int cmdLogin(Context &, const Words &words)
{
    Options o(words, {"-u", "--username", "-p", "--password", "--tls-verify", "--config"}, {"--password-stdin"});
    if (o.positional().size() != 1)
        throw hood::Error("login: give the registry (hoodctl login -u USER --password-stdin HOST[:PORT])");
    const std::string registry = o.positional().front();
    hood::RegistryCredentials c;
    c.username = o.value("-u").value_or(o.value("--username").value_or(""));
    if (c.username.empty())
        throw hood::Error("login " + registry + ": give the user name with -u");
    if (o.has("--password-stdin")) {
        std::getline(std::cin, c.password);
    } else {
        c.password = o.value("-p").value_or(o.value("--password").value_or(""));
    }
    if (c.password.empty())
        throw hood::Error("login " + registry + ": give the password with --password-stdin (or -p)");
    hood::RegistryOptions opts = registryOptions(o);
    hood::RegistryClient client(opts);
    client.checkLogin(registry, c);
    hood::storeCredentials(opts.configDir, registry, c);
    std::cout << "Login Succeeded (stored in " << opts.configDir << "/config.json)\n";
    return 0;
}

} // namespace hoodctl
