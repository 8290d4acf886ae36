/* SPDX-License-Identifier: MIT */
/*
 * e1000_hw.h - Intel 8254x (82540EM) registers and descriptors used by
 * the C e1000 driver, from Intel's 8254x Software Developer's Manual
 * and QEMU's model (hw/net/e1000.c, e1000_regs.h). The Rust driver
 * (e1000_rs.rs) takes the same constants from here: rust/uapi/ turns
 * every E1000_* #define into kernel::uapi::E1000_* (a u32).
 */
#ifndef _E1000_HW_H
#define _E1000_HW_H

#include <keel/types.h>

#define E1000_MMIO_SIZE 0x20000

/* registers (byte offsets in BAR0) */
#define E1000_CTRL   0x0000
#define E1000_STATUS 0x0008
#define E1000_EERD   0x0014
#define E1000_MDIC   0x0020
#define E1000_ICR    0x00c0
#define E1000_IMS    0x00d0
#define E1000_IMC    0x00d8
#define E1000_RCTL   0x0100
#define E1000_TCTL   0x0400
#define E1000_TIPG   0x0410
#define E1000_RDBAL  0x2800
#define E1000_RDBAH  0x2804
#define E1000_RDLEN  0x2808
#define E1000_RDH    0x2810
#define E1000_RDT    0x2818
#define E1000_RDTR   0x2820
#define E1000_TDBAL  0x3800
#define E1000_TDBAH  0x3804
#define E1000_TDLEN  0x3808
#define E1000_TDH    0x3810
#define E1000_TDT    0x3818
#define E1000_MPC    0x4010 /* missed packets (no buffer) */
#define E1000_ROC    0x40ac /* oversized frames, clear on read */
#define E1000_MTA    0x5200 /* 128 multicast hash registers */
#define E1000_RAL0   0x5400
#define E1000_RAH0   0x5404

#define E1000_CTRL_SLU 0x00000040 /* set link up */
#define E1000_CTRL_RST 0x04000000

#define E1000_STATUS_LU 0x00000002

#define E1000_EERD_START      0x00000001
#define E1000_EERD_DONE	      0x00000010
#define E1000_EERD_ADDR_SHIFT 8
#define E1000_EERD_DATA_SHIFT 16

#define E1000_MDIC_REG_SHIFT 16
#define E1000_MDIC_PHY_SHIFT 21
#define E1000_MDIC_OP_WRITE  0x04000000
#define E1000_MDIC_OP_READ   0x08000000
#define E1000_MDIC_READY     0x10000000
#define E1000_MDIC_ERROR     0x40000000

/* interrupt causes (ICR/IMS/IMC) */
#define E1000_ICR_TXDW	 0x00000001 /* descriptor written back */
#define E1000_ICR_LSC	 0x00000004 /* link status change */
#define E1000_ICR_RXDMT0 0x00000010 /* receive ring running low */
#define E1000_ICR_RXO	 0x00000040 /* receiver overrun */
#define E1000_ICR_RXT0	 0x00000080 /* receive timer: frames arrived */
#define E1000_IMS_RX	 (E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0)

#define E1000_RCTL_EN	 0x00000002
#define E1000_RCTL_BAM	 0x00008000 /* accept broadcast */
#define E1000_RCTL_SECRC 0x04000000 /* strip the CRC */
/* buffer size 2048: BSIZE 00, BSEX 0 */

#define E1000_TCTL_EN	    0x00000002
#define E1000_TCTL_PSP	    0x00000008 /* pad short packets */
#define E1000_TCTL_CT_SHIFT 4
#define E1000_TCTL_COLD_SHIFT 12
#define E1000_TIPG_DEFAULT  0x0060200a /* IPGT 10, IPGR1 8, IPGR2 6 */

#define E1000_RAH_AV 0x80000000 /* address valid */

struct e1000_rx_desc {
	u64 buffer_addr;
	u16 length;
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};

#define E1000_RXD_STAT_DD  0x01 /* descriptor done */
#define E1000_RXD_STAT_EOP 0x02 /* end of packet */
#define E1000_RXD_ERR_MASK 0xff /* CE SE SEQ CXE TCPE IPE RXE */

struct e1000_tx_desc {
	u64 buffer_addr;
	u16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	u16 special;
};

#define E1000_TXD_CMD_EOP  0x01
#define E1000_TXD_CMD_IFCS 0x02 /* insert FCS */
#define E1000_TXD_CMD_RS   0x08 /* report status */
#define E1000_TXD_STAT_DD  0x01

#define E1000_PHY_ADDR 1 /* where the 82540EM's internal PHY answers */

#endif
