#include <keel/mm.h>
void mm_show_info(void) {}
