/* The 16550 UART: registers, receive FIFO, loopback, interrupt identification and the OUT2-gated IRQ. */
#include "uart.h"

/* Register offsets from the base port (DLAB = LCR bit 7 selects DLL/DLM at 0 and 1). */
enum { REG_DATA = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3, REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7 };

#define IER_RDA 0x01  /* received data available (and character timeout) */
#define IER_THRE 0x02 /* transmitter holding register empty */
#define IER_RLS 0x04  /* receiver line status */
#define IER_MS 0x08   /* modem status */
#define LCR_DLAB 0x80
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IIR_NONE 0x01
#define IIR_MS 0x00
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_RLS 0x06
#define IIR_TIMEOUT 0x0c
#define IIR_FIFO 0xc0
#define MSR_HOST_LINES 0xb0 /* DCD, DSR, CTS: a terminal is there and ready */

static unsigned uart_rx_capacity(const hw_uart_t *u)
{
    return u->fifo ? HW_UART_FIFO_SIZE : 1;
}

/* LCR bits 1-0 choose 5 to 8 data bits; the rest of a byte never crosses. */
static uint8_t uart_data_mask(const hw_uart_t *u)
{
    return (uint8_t)((1u << (5 + (u->lcr & 3))) - 1);
}

/* The highest-priority pending interrupt, as IIR bits 3-0 (datasheet order:
 * line status, received data or timeout, THR empty, modem status). The
 * character timeout (4 character times of silence on the chip) is pending
 * as soon as data sits below the trigger level: the model's line has no time. */
static uint8_t uart_interrupt_id(const hw_uart_t *u)
{
    if ((u->ier & IER_RLS) && u->lsr_errors)
        return IIR_RLS;
    if ((u->ier & IER_RDA) && u->rx_count >= (u->fifo ? u->rx_trigger : 1))
        return IIR_RDA;
    if ((u->ier & IER_RDA) && u->rx_count)
        return IIR_TIMEOUT;
    if ((u->ier & IER_THRE) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_MS) && (u->msr & 0x0f))
        return IIR_MS;
    return IIR_NONE;
}

/* On a PC, OUT2 enables the buffer between INTR and the IRQ line; loopback
 * forces OUT2 inactive on the pin, so no IRQ reaches the PIC then. */
static void uart_update_irq(hw_uart_t *u)
{
    bool level = uart_interrupt_id(u) != IIR_NONE && (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
    if (level == u->irq)
        return;
    u->irq = level;
    if (u->irq_fn)
        u->irq_fn(u->ctx, level);
}

/* The modem inputs: in loopback DTR, RTS, OUT1 and OUT2 feed DSR, CTS, RI
 * and DCD; otherwise the host terminal's lines. Changes set the delta bits
 * (RI only on its trailing edge). */
static void uart_update_modem(hw_uart_t *u)
{
    uint8_t m = u->mcr, in = MSR_HOST_LINES;
    if (m & MCR_LOOP)
        in = (uint8_t)((m & 0x01) << 5 | (m & 0x02) << 3 | (m & 0x04) << 4 | (m & 0x08) << 4);
    uint8_t old = u->msr & 0xf0, changed = old ^ in;
    uint8_t deltas = (uint8_t)((changed & 0xb0) >> 4 | (old & ~in & 0x40) >> 4);
    u->msr = (uint8_t)(in | (u->msr & 0x0f) | deltas);
}

static void uart_rx_clear(hw_uart_t *u)
{
    u->rx_head = u->rx_count = 0;
}

/* The receiver hands over a byte. Full: OE, and the byte is lost in FIFO
 * mode (the shift register is overwritten) or replaces RBR in 16450 mode. */
static bool uart_rx_push(hw_uart_t *u, uint8_t byte)
{
    if (u->rx_count == uart_rx_capacity(u)) {
        u->lsr_errors |= LSR_OE;
        if (!u->fifo)
            u->rx[u->rx_head] = byte;
        return false;
    }
    u->rx[(u->rx_head + u->rx_count) % HW_UART_FIFO_SIZE] = byte;
    u->rx_count++;
    return true;
}

static uint8_t uart_read_rbr(hw_uart_t *u)
{
    if (!u->rx_count)
        return u->rbr;
    u->rbr = u->rx[u->rx_head];
    u->rx_head = (uint8_t)((u->rx_head + 1) % HW_UART_FIFO_SIZE);
    u->rx_count--;
    return u->rbr;
}

/* Transmission takes no time in the model: the byte goes out (or, in
 * loopback, straight to the receiver) and THR is empty again at once, where
 * the chip would hold THRE low for a character time at the baud rate. */
static void uart_write_thr(hw_uart_t *u, uint8_t value)
{
    uint8_t byte = value & uart_data_mask(u);
    if (u->mcr & MCR_LOOP)
        uart_rx_push(u, byte);
    else if (u->tx)
        u->tx(u->ctx, byte);
    u->thre_pending = true;
}

/* Reading IIR clears the THR-empty interrupt when that is what it reports. */
static uint8_t uart_read_iir(hw_uart_t *u)
{
    uint8_t id = uart_interrupt_id(u);
    if (id == IIR_THRE)
        u->thre_pending = false;
    return (uint8_t)(id | (u->fifo ? IIR_FIFO : 0));
}

/* Enabling the THRE interrupt while THR is empty raises it at once. */
static void uart_write_ier(hw_uart_t *u, uint8_t value)
{
    if ((value & IER_THRE) && !(u->ier & IER_THRE))
        u->thre_pending = true;
    u->ier = value & 0x0f;
}

/* FCR: bit 0 enables the FIFOs (a change empties them) and must be set for
 * the other bits to count; bit 1 empties the receive FIFO; bit 2 the
 * transmit FIFO, always empty here; bits 7-6 the trigger level. DMA mode
 * (bit 3) only changes the RXRDY/TXRDY pins, which a PC leaves unconnected. */
static void uart_write_fcr(hw_uart_t *u, uint8_t value)
{
    static const uint8_t triggers[4] = {1, 4, 8, 14};
    bool enable = value & 0x01;
    if (enable != u->fifo)
        uart_rx_clear(u);
    u->fifo = enable;
    if (!enable)
        return;
    if (value & 0x02)
        uart_rx_clear(u);
    u->rx_trigger = triggers[value >> 6];
}

/* Reading LSR clears the error bits (only OE can happen here: the model's
 * line has no parity, framing errors or breaks). */
static uint8_t uart_read_lsr(hw_uart_t *u)
{
    uint8_t value = (uint8_t)(LSR_THRE | LSR_TEMT | u->lsr_errors | (u->rx_count ? LSR_DR : 0));
    u->lsr_errors = 0;
    return value;
}

static uint8_t uart_read_msr(hw_uart_t *u)
{
    uint8_t value = u->msr;
    u->msr &= 0xf0;
    return value;
}

static uint8_t uart_read(hw_uart_t *u, unsigned reg)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case REG_DATA:
        return dlab ? u->dll : uart_read_rbr(u);
    case REG_IER:
        return dlab ? u->dlm : u->ier;
    case REG_IIR_FCR:
        return uart_read_iir(u);
    case REG_LCR:
        return u->lcr;
    case REG_MCR:
        return u->mcr;
    case REG_LSR:
        return uart_read_lsr(u);
    case REG_MSR:
        return uart_read_msr(u);
    default:
        return u->scr;
    }
}

/* Writes to LSR and MSR (factory test on the chip) are ignored. */
static void uart_write(hw_uart_t *u, unsigned reg, uint8_t value)
{
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case REG_DATA:
        if (dlab)
            u->dll = value;
        else
            uart_write_thr(u, value);
        break;
    case REG_IER:
        if (dlab)
            u->dlm = value;
        else
            uart_write_ier(u, value);
        break;
    case REG_IIR_FCR:
        uart_write_fcr(u, value);
        break;
    case REG_LCR:
        u->lcr = value;
        break;
    case REG_MCR:
        u->mcr = value & 0x1f;
        uart_update_modem(u);
        break;
    case REG_SCR:
        u->scr = value;
        break;
    }
}

static uint32_t uart_port_read(void *ctx, uint16_t port, unsigned size)
{
    (void)size;
    hw_uart_t *u = ctx;
    uint8_t value = uart_read(u, port & 7);
    uart_update_irq(u);
    return value;
}

static void uart_port_write(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    (void)size;
    hw_uart_t *u = ctx;
    uart_write(u, port & 7, (uint8_t)value);
    uart_update_irq(u);
}

bool hw_uart_receive(hw_uart_t *uart, uint8_t byte)
{
    if (uart->mcr & MCR_LOOP)
        return false;
    bool stored = uart_rx_push(uart, byte & uart_data_mask(uart));
    uart_update_irq(uart);
    return stored;
}

unsigned hw_uart_rx_room(const hw_uart_t *uart)
{
    return (uart->mcr & MCR_LOOP) ? 0 : uart_rx_capacity(uart) - uart->rx_count;
}

bool hw_uart_rx_irq_enabled(const hw_uart_t *uart)
{
    return (uart->ier & IER_RDA) != 0;
}

/* The divisor latches and the scratch register are undefined after reset on
 * the chip; the model clears them. */
void hw_uart_init(hw_uart_t *uart, hw_uart_tx_fn *tx, hw_uart_irq_fn *irq_fn, void *ctx)
{
    *uart = (hw_uart_t){0};
    uart->rx_trigger = 1;
    uart->msr = MSR_HOST_LINES;
    uart->tx = tx;
    uart->irq_fn = irq_fn;
    uart->ctx = ctx;
}

int hw_uart_attach(hw_uart_t *uart, hw_portbus_t *bus, uint16_t base)
{
    hw_port_range_t r = {.first = base,
                         .last = (uint16_t)(base + 7),
                         .width = 1,
                         .read = uart_port_read,
                         .write = uart_port_write,
                         .ctx = uart};
    return hw_portbus_register(bus, &r); /* a range past 0xffff wraps and is refused */
}
