//! vDSO parsing and vDSO-backed clocks, `getcpu` and `getrandom` (work in progress: see the
//! sys-vdso issue). Nothing is exported yet.
#![no_std]
