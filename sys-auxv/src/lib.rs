//! The ELF auxiliary vector, typed (work in progress: see the sys-auxv issue). Nothing is
//! exported yet.
#![no_std]
