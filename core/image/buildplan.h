// A Dockerfile build as a plan: each step with its cache key, whether it makes a
// layer, and what it changes in the image config, computed before anything
// runs. The keys are chained the way Docker's classic builder finds its cache:
// a step hits when an image was made from the same parent with the same
// instruction text after ARG/ENV substitution (for RUN, the build args in
// effect prefixed as "|N K=V"; for COPY and ADD, the content hash of what is
// copied). So a change invalidates that step and every step after it, and
// nothing before. No store here: the base image and the cache are interfaces
// the builder glues to the image store.
#pragma once

#include "image/dockerfile.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hood {

class BuildContext;

// The part of an OCI image config a Dockerfile changes.
struct BuildImageConfig {
    std::vector<std::string> env; // "K=V", in order
    std::map<std::string, std::string> labels;
    std::string workingDir;
    std::string user;
    std::string stopSignal;
    std::string author;
    std::vector<std::string> cmd;
    std::vector<std::string> entrypoint;
    std::vector<std::string> shell = {"/bin/sh", "-c"};
    std::set<std::string> exposedPorts; // "80/tcp"
    std::set<std::string> volumes;

    std::optional<std::string> envValue(const std::string &key) const;
    void setEnv(const std::string &key, const std::string &value);
};

// The base of a build: FROM's image, looked up by the caller.
struct BuildBaseImage {
    std::string digest;       // the image's config digest; "" for scratch
    BuildImageConfig config;  // its config (scratch: empty)
};

class BaseImageResolver {
public:
    virtual ~BaseImageResolver() = default;
    // Throws hood::Error starting with where when ref is not in the store.
    virtual BuildBaseImage resolve(const std::string &ref, const std::string &platform,
                                   const std::string &where) = 0;
};

struct BuildConfigChange {
    std::string field; // "Env", "Labels", "WorkingDir", "User", "Cmd", ...
    std::string value; // as people read it: "PATH=/usr/bin", "[\"sh\"]"
};

struct BuildStep {
    int index = 0;                     // 1-based, FROM not counted
    DockerfileInstruction instruction; // after substitution
    std::string text;       // the instruction as keyed: "RUN |1 V=2 /bin/sh -c make"
    std::string parentKey;  // the key of the step before, or the base image's digest
    std::string key;        // "sha256:..." of parentKey and text
    bool makesLayer = false;           // RUN, COPY, ADD; metadata steps make none
    std::string contentHash;           // COPY, ADD
    std::vector<std::string> sources;  // COPY, ADD: resolved context paths
    std::string destination;           // COPY, ADD: absolute, in the image
    std::vector<std::string> runArgv;  // RUN: shell + command, or the JSON form
    std::vector<std::string> runEnv;   // RUN: image env + build args in effect
    std::vector<BuildConfigChange> changes;
    BuildImageConfig configAfter;
};

struct BuildPlan {
    std::string baseRef;      // FROM's image after meta-ARG substitution; "scratch"
    std::string basePlatform; // FROM --platform, "" when not given
    std::string baseDigest;
    std::vector<BuildStep> steps;
    BuildImageConfig config;  // the final image's config
    // --build-arg keys that no ARG declared: Docker warns that they were not consumed.
    std::vector<std::string> unusedBuildArgs;
};

// Plans the build. context may be null when no COPY/ADD is used (the plan then
// fails on the first COPY). Throws hood::Error naming file, line, instruction.
BuildPlan planBuild(const Dockerfile &file, const std::map<std::string, std::string> &buildArgs,
                    const BuildContext *context, BaseImageResolver &base);

// The cache, as the store holds it: key -> what the step made (a layer digest,
// or "" for a step that only changed the config).
class BuildCache {
public:
    virtual ~BuildCache() = default;
    virtual std::optional<std::string> lookup(const std::string &key) = 0;
};

struct StepExplanation {
    int index = 0;
    std::string key;
    bool hit = false;
    std::string result; // the cached layer digest (hits; "" for metadata)
    std::string reason; // one sentence
};

// What a build with this cache would reuse and why each step hits or misses.
std::vector<StepExplanation> explainCache(const BuildPlan &plan, BuildCache &cache, bool noCache = false);

// "COPY sha256:1f2e... in /app" -> the first 12 hex digits of a key, for lists.
std::string shortKey(const std::string &key);

} // namespace hood
