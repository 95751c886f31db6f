// libarchive, opened with dlopen on first use. Linked in, its 16 dependencies
// (libxml2 and ICU, the shared libstdc++, the compressors) cost every hoodctl
// run their loading and relocation, though only the verbs that read or write a
// tar layer need it (load, save, pull, push, build, import, diff, commit;
// docs/design-changes.md). The headers stay for the types and constants.
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace hood {

// The functions extract.cpp, layout_save.cpp and changes.cpp call, by their
// names without the archive_ prefix.
struct ArchiveApi {
    decltype(&::archive_entry_copy_stat) entry_copy_stat;
    decltype(&::archive_entry_filetype) entry_filetype;
    decltype(&::archive_entry_free) entry_free;
    decltype(&::archive_entry_gid) entry_gid;
    decltype(&::archive_entry_hardlink) entry_hardlink;
    decltype(&::archive_entry_mtime) entry_mtime;
    decltype(&::archive_entry_new) entry_new;
    decltype(&::archive_entry_pathname) entry_pathname;
    decltype(&::archive_entry_perm) entry_perm;
    decltype(&::archive_entry_rdev) entry_rdev;
    decltype(&::archive_entry_set_filetype) entry_set_filetype;
    decltype(&::archive_entry_set_gid) entry_set_gid;
    decltype(&::archive_entry_set_hardlink) entry_set_hardlink;
    decltype(&::archive_entry_set_mtime) entry_set_mtime;
    decltype(&::archive_entry_set_pathname) entry_set_pathname;
    decltype(&::archive_entry_set_perm) entry_set_perm;
    decltype(&::archive_entry_set_size) entry_set_size;
    decltype(&::archive_entry_set_symlink) entry_set_symlink;
    decltype(&::archive_entry_set_uid) entry_set_uid;
    decltype(&::archive_entry_size) entry_size;
    decltype(&::archive_entry_symlink) entry_symlink;
    decltype(&::archive_entry_uid) entry_uid;
    decltype(&::archive_entry_xattr_next) entry_xattr_next;
    decltype(&::archive_entry_xattr_reset) entry_xattr_reset;
    decltype(&::archive_error_string) error_string;
    decltype(&::archive_filter_count) filter_count;
    decltype(&::archive_read_data_block) read_data_block;
    decltype(&::archive_read_free) read_free;
    decltype(&::archive_read_new) read_new;
    decltype(&::archive_read_next_header) read_next_header;
    decltype(&::archive_read_open) read_open;
    decltype(&::archive_read_support_filter_all) read_support_filter_all;
    decltype(&::archive_read_support_format_gnutar) read_support_format_gnutar;
    decltype(&::archive_read_support_format_raw) read_support_format_raw;
    decltype(&::archive_read_support_format_tar) read_support_format_tar;
    decltype(&::archive_set_error) set_error;
    decltype(&::archive_write_close) write_close;
    decltype(&::archive_write_data) write_data;
    decltype(&::archive_write_free) write_free;
    decltype(&::archive_write_header) write_header;
    decltype(&::archive_write_new) write_new;
    decltype(&::archive_write_open_fd) write_open_fd;
    decltype(&::archive_write_open_filename) write_open_filename;
    decltype(&::archive_write_set_bytes_in_last_block) write_set_bytes_in_last_block;
    decltype(&::archive_write_set_format_pax_restricted) write_set_format_pax_restricted;
};

// The process's table from libarchive.so.13, loaded on the first call
// (thread-safe); throws hood::Error in one sentence when it cannot (sys/dynlib.h).
const ArchiveApi &archiveApi();

} // namespace hood
