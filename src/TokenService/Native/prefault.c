/*
 * Pre-faults the writable zero-filled part of this executable (.bss and NativeAOT's .hydrated section) in one
 * system call, before the .NET runtime starts.
 *
 * Why: at every start the NativeAOT runtime writes its type data (about 1.8 MB in `tokenservice`) into .hydrated
 * (StartupCodeHelpers.RehydrateData). Touched page by page, that is some 450 page faults, and on a virtual machine
 * each fault is a trap that costs several microseconds; they were the largest single item of a one-shot `check`
 * (docs/benchmarks.md). madvise(MADV_POPULATE_WRITE) (Linux 5.14, madvise(2)) allocates the same pages inside one
 * call. The pages are written by the runtime a moment later in any case, so memory use does not change.
 *
 * How: an ELF constructor runs before main; dl_iterate_phdr(3) reports the main program first, and its writable
 * PT_LOAD segment's p_memsz beyond p_filesz is the zero-filled tail (ELF gABI, "Program Header"). A kernel without
 * MADV_POPULATE_WRITE answers EINVAL and nothing else happens: the pages then fault in as before.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* include/uapi/asm-generic/mman-common.h */
#endif

static int populate_zero_filled_segments(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_W) || segment->p_memsz <= segment->p_filesz) {
            continue;
        }
        /* The page holding the end of the file-backed part is already mapped: start at the next one. */
        uintptr_t start = (info->dlpi_addr + segment->p_vaddr + segment->p_filesz + page - 1) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + segment->p_vaddr + segment->p_memsz + page - 1) & ~(page - 1);
        if (end > start) {
            (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
        }
    }
    return 1; /* the first entry is the main program; the libraries are not ours to touch */
}

__attribute__((constructor)) static void tokenservice_prefault(void)
{
    dl_iterate_phdr(populate_zero_filled_segments, NULL);
}
