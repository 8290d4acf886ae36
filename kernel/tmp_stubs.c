void bench_boot(void);
void bench_boot(void) {}
