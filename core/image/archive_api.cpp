#include "image/archive_api.h"

#include "sys/dynlib.h"

namespace hood {

namespace {

ArchiveApi load()
{
    DynLib lib("libarchive.so.13", "tar layers (Debian package libarchive13)");
    ArchiveApi api{};
    lib.get("archive_entry_copy_stat", api.entry_copy_stat);
    lib.get("archive_entry_filetype", api.entry_filetype);
    lib.get("archive_entry_free", api.entry_free);
    lib.get("archive_entry_gid", api.entry_gid);
    lib.get("archive_entry_hardlink", api.entry_hardlink);
    lib.get("archive_entry_mtime", api.entry_mtime);
    lib.get("archive_entry_new", api.entry_new);
    lib.get("archive_entry_pathname", api.entry_pathname);
    lib.get("archive_entry_perm", api.entry_perm);
    lib.get("archive_entry_rdev", api.entry_rdev);
    lib.get("archive_entry_set_filetype", api.entry_set_filetype);
    lib.get("archive_entry_set_gid", api.entry_set_gid);
    lib.get("archive_entry_set_hardlink", api.entry_set_hardlink);
    lib.get("archive_entry_set_mtime", api.entry_set_mtime);
    lib.get("archive_entry_set_pathname", api.entry_set_pathname);
    lib.get("archive_entry_set_perm", api.entry_set_perm);
    lib.get("archive_entry_set_size", api.entry_set_size);
    lib.get("archive_entry_set_symlink", api.entry_set_symlink);
    lib.get("archive_entry_set_uid", api.entry_set_uid);
    lib.get("archive_entry_size", api.entry_size);
    lib.get("archive_entry_symlink", api.entry_symlink);
    lib.get("archive_entry_uid", api.entry_uid);
    lib.get("archive_entry_xattr_next", api.entry_xattr_next);
    lib.get("archive_entry_xattr_reset", api.entry_xattr_reset);
    lib.get("archive_error_string", api.error_string);
    lib.get("archive_filter_count", api.filter_count);
    lib.get("archive_read_data_block", api.read_data_block);
    lib.get("archive_read_free", api.read_free);
    lib.get("archive_read_new", api.read_new);
    lib.get("archive_read_next_header", api.read_next_header);
    lib.get("archive_read_open", api.read_open);
    lib.get("archive_read_support_filter_all", api.read_support_filter_all);
    lib.get("archive_read_support_format_gnutar", api.read_support_format_gnutar);
    lib.get("archive_read_support_format_raw", api.read_support_format_raw);
    lib.get("archive_read_support_format_tar", api.read_support_format_tar);
    lib.get("archive_set_error", api.set_error);
    lib.get("archive_write_close", api.write_close);
    lib.get("archive_write_data", api.write_data);
    lib.get("archive_write_free", api.write_free);
    lib.get("archive_write_header", api.write_header);
    lib.get("archive_write_new", api.write_new);
    lib.get("archive_write_open_fd", api.write_open_fd);
    lib.get("archive_write_open_filename", api.write_open_filename);
    lib.get("archive_write_set_bytes_in_last_block", api.write_set_bytes_in_last_block);
    lib.get("archive_write_set_format_pax_restricted", api.write_set_format_pax_restricted);
    return api;
}

} // namespace

const ArchiveApi &archiveApi()
{
    static const ArchiveApi api = load();
    return api;
}

} // namespace hood
