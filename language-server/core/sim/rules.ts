// Every rule the simulator applies, with the kernel source it encodes. Events cite a rule id;
// docs/semantics.md explains each id (a test checks that every id here is documented there).

export interface Rule {
  readonly id: string;
  readonly source: string;
}

const rules = {
  'R1.2-resource': 'kernel/resource.c: request_mem_region(); drivers/dax/kmem.c: dev_dax_kmem_probe(); drivers/dax/device.c: dev_dax_probe()',
  'R1.3-memmap-host': 'mm/sparse-vmemmap.c (memmap from the page allocator); Hildenbrand, linux-mm 2021-03-25',
  'R1.3-memmap-on-memory': 'mm/memory_hotplug.c: mhp_supports_memmap_on_memory(), mhp_init_memmap_on_memory()',
  'R2.1-state': 'drivers/base/memory.c: state_store(); drivers/base/core.c: device_online()/device_offline()',
  'R2.2-hwpoison-online': 'drivers/base/memory.c: memory_block_online() (memblk_nr_poison, v6.2+)',
  'R2.3-zone': 'mm/memory_hotplug.c: zone_for_pfn_range(), default_zone_for_pfn(), default_kernel_zone_for_pfn()',
  'R2.3-auto-movable': 'mm/memory_hotplug.c: auto_movable_zone_for_pfn(), auto_movable_can_online_movable()',
  'R2.4-auto-online': 'mm/memory_hotplug.c: add_memory_resource() → online_memory_block() (memhp_default_state)',
  'R2.5-boot-zones': 'mm/mm_init.c: find_zone_movable_pfns_for_nodes() (movablecore=); arch/x86 zone limits',
  'R3.1-mixed-zone': 'drivers/base/memory.c: memory_block_offline() (mem->zone == NULL)',
  'R3.1-hole': 'mm/memory_hotplug.c: offline_pages() "memory holes"',
  'R3.2-reserved': 'mm/page_isolation.c: has_unmovable_pages() (PageReserved, every zone)',
  'R3.2-first-normal': 'mm/page_alloc.c: get_page_from_freelist() (highest kernel zone first) + __free_pages_core(FPI_TO_TAIL) (observed)',
  'R4-remove-altmap': 'mm/memory_hotplug.c: try_remove_memory() → memory_blocks_have_altmaps() (v6.8+, with the per-block split of memmap_on_memory: mixed → WARN, -EINVAL); before: "Refuse to remove … wrong granularity" (v5.12–v6.7)',
  'R5.3-fault-size': 'drivers/dax/device.c: dev_dax_huge_fault() → __dev_dax_pte_fault() (align > fault size → VM_FAULT_SIGBUS); mm/huge_memory.c: __thp_vma_allowable_orders() (THP disabled → no PMD/PUD fault)',
  'R3.2-unmovable': 'mm/page_isolation.c: has_unmovable_pages() (kernel zones only)',
  'R3.2-pinned': 'mm/memory_hotplug.c: offline_pages() → do_migrate_range() retried without limit',
  'R3.2-no-room': 'mm/memory_hotplug.c: do_migrate_range() (GFP_USER|__GFP_MOVABLE|__GFP_RETRY_MAYFAIL)',
  'R3.2-signal': 'mm/memory_hotplug.c: offline_pages() signal_pending() → -EINTR',
  'R3.2-old-timeout': 'mm/memory_hotplug.c before v4.15 (72b39cfc4d75, ecde0f3e7f9e): retries and 120 s timeout',
  'R3.2-notifier': 'drivers/virtio/virtio_mem.c: virtio_mem_memory_notifier_cb() (drops PageOffline references at MEM_GOING_OFFLINE; unregistered at unbind, so afterwards a partly plugged block cannot be offlined)',
  'R3.3-migrate': 'mm/memory_hotplug.c: do_migrate_range() (other nodes first, never into the range)',
  'R3.3-longterm-pin': 'mm/gup.c: check_and_migrate_movable_pages() / migrate_longterm_unpinnable_folios() (v5.13+)',
  'R3.3-fsdax-longterm': 'mm/gup.c: check_vma_flags() (FOLL_LONGTERM on fsdax → -EOPNOTSUPP)',
  'R3.3-devdax-longterm': 'mm/gup.c (devdax FOLL_LONGTERM: refused on 6.1, allowed on 6.12 — observed)',
  'R4-remove-online': 'mm/memory_hotplug.c: try_remove_memory() → check_memblock_offlined_cb()',
  'R4-remove': 'mm/memory_hotplug.c: try_remove_memory(), remove_memory_block_devices()',
  'R4-acpi-eject': 'drivers/acpi/scan.c: acpi_scan_try_to_offline(); drivers/acpi/acpi_memhotplug.c',
  'R4-hotremove-off': 'CONFIG_MEMORY_HOTREMOVE=n: remove_memory() absent; drivers/dax/kmem.c always leaks',
  'R5.3-devdax-mmap': 'drivers/dax/device.c: dax_mmap(), check_vma()',
  'R5.4-kmem-probe': 'drivers/dax/kmem.c: dev_dax_kmem_probe(), dax_kmem_range()',
  'R5.4-kmem-remove': 'drivers/dax/kmem.c: dev_dax_kmem_remove() ("cannot be hotremoved until the next reboot")',
  'R5.4-daxctl': 'ndctl daxctl/device.c: reconfigure_device() (online_movable default, --no-movable, --force)',
  'R5.5-devdax-unbind': 'drivers/dax/bus.c: kill_dev_dax() → unmap_mapping_range()',
  'R5.5-fsdax-unbind-noholder': 'drivers/dax/super.c: kill_dax() — no holder (ext4/ext2/erofs, XFS w/o rmapbt, ≤5.19)',
  'R5.5-fsdax-unbind-xfs-mf': 'drivers/dax/super.c: kill_dax() → dax_holder_notify_failure(); fs/xfs/xfs_notify_failure.c (v6.0–v6.7)',
  'R5.5-fsdax-unbind-xfs-preremove': 'fs/xfs/xfs_notify_failure.c: MF_MEM_PRE_REMOVE (v6.8+)',
  'R5.5-umount-orphaned': 'fs/dax.c: dax_disassociate_entry() on freed memmap (observed oops on umount after unbind)',
  'R5.5-force-unmap': 'Proposed, never merged: "mm, pmem: Force unmap pmem on surprise remove" (Williams, 2021)',
  'R6.3-outside': 'mm/memory-failure.c: memory_failure() pfn_to_online_page() == NULL → "memory outside kernel control"',
  'R6.3-already': 'mm/memory-failure.c: memory_failure() TestSetPageHWPoison → -EHWPOISON',
  'R6.3-free': 'mm/memory-failure.c: take_page_off_buddy() "free buddy page"',
  'R6.3-kernel': 'mm/memory-failure.c: get_hwpoison_page() "get hwpoison page: Ignored"',
  'R6.3-lru': 'mm/memory-failure.c: hwpoison_user_mappings(), me_pagecache_dirty()/me_pagecache_clean()',
  'R6.3-panic': 'mm/memory-failure.c: memory_failure() sysctl_memory_failure_recovery == 0 → panic()',
  'R6.4-devdax': 'mm/memory-failure.c: memory_failure_dev_pagemap() → mf_generic_kill_procs()',
  'R6.4-fsdax': 'drivers/nvdimm/pmem.c: pmem_pagemap_memory_failure() → fs/xfs/xfs_notify_failure.c',
  'R6.4-metadata': 'mm/memory-failure.c: memory_failure_dev_pagemap() !pgmap_pfn_valid() → -ENXIO',
  'R6.5-signal': 'mm/memory-failure.c: kill_proc(); arch/x86/mm/fault.c: do_sigbus()',
  'R6.5-consume': 'mm/memory.c: do_swap_page() hwpoison entry → VM_FAULT_HWPOISON → BUS_MCEERR_AR',
  'R6.6-soft-offline': 'mm/memory-failure.c: soft_offline_page()',
  'R6.6-unpoison': 'mm/memory-failure.c: unpoison_memory() ("disabled after HW memory failure")',
  'R6.7-reonline-lost': 'drivers/base/memory.c: memory_block_online() before v6.2 (poison flag lost)',
  'R7.1-stale': 'R7.1/R7.2: a user PTE is a raw pfn; nothing zapped it',
  'R7.1-exposure': 'R7.1: stale PTE over a physically replaced range reads/writes the new tenant',
  'R7.3-kmem-gone': 'R7.3: online memory vanished under the page allocator (assumed: machine check/crash)',
  'R7.3-memmap-gone': 'R1.3/R7.4: struct pages of another range lived in the vanished memory',
  'R7.4-kernel-zone': 'R7.4: memory_failure() cannot make kernel-zone memory removable',
  'R8-virtio-unplug': 'drivers/virtio/virtio_mem.c: virtio_mem_sbm_unplug_request() (offline, movable, kernel order)',
  'R8-virtio-mode': 'drivers/virtio/virtio_mem.c: virtio_mem_init_hotplug() (SBM if max(device block, pageblock) < memory block and !force_bbm; else BBM, bb_size = max(device block, memory block) or bbm_block_size)',
  'R8-virtio-bbm-plug': 'drivers/virtio/virtio_mem.c: virtio_mem_bbm_plug_request(), virtio_mem_bbm_plug_and_add_bb() (unused big blocks first, one add_memory_driver_managed() per big block)',
  'R8-virtio-bbm-unplug': 'drivers/virtio/virtio_mem.c: virtio_mem_bbm_unplug_request(), virtio_mem_bbm_offline_remove_and_unplug_bb() (offline big blocks, then fully ZONE_MOVABLE ones, then any; fake-offline, then offline_and_remove_memory(); -EBUSY skips)',
  'R8-virtio-unbind': 'drivers/virtio/virtio_mem.c: virtio_mem_deinit_hotplug() ("device still has system memory added")',
  'R8-plug': 'drivers/virtio/virtio_mem.c: virtio_mem_sbm_plug_request(); drivers/acpi/acpi_memhotplug.c: acpi_memory_enable_device()',
  'R9-reboot': 'Reboot: every device re-probed; resources, poison records and burned ranges cleared',
  'R9-touch': 'arch/x86/mm/fault.c: page fault paths for DAX and anonymous mappings',
  'R9-proc': 'Process model: default SIGBUS action terminates the process',
  'R9-mount': 'fs/super.c: mount/umount of a DAX filesystem',
  'R9-alloc': 'mm/page_alloc.c: placement per spec §5a (highest zone first, lowest address first)',
  'R9-gup': 'mm/gup.c: get_user_pages() / pin_user_pages_fast(), gup_fast_devmap_leaf()',
} as const;

export type RuleId = keyof typeof rules;

export const RULES: readonly Rule[] = Object.entries(rules).map(([id, source]) => ({ id, source }));

export function ruleSource(id: RuleId): string {
  return rules[id];
}
