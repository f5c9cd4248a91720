package printer

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"go.bug.st/serial"
)

// serialConn is a printer on a serial port or USB-serial adapter, 8N1.
type serialConn struct{ port serial.Port }

func openSerial(path string, baud int) (Conn, error) {
	if baud == 0 {
		baud = 9600
	}
	// No InitialStatusBits: setting DTR/RTS fails on pseudo-terminals and some adapters.
	port, err := serial.Open(path, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	if err != nil {
		return nil, fmt.Errorf("open printer %s: %w", path, err)
	}
	return &serialConn{port: port}, nil
}

func (c *serialConn) Write(p []byte) (int, error) { return c.port.Write(p) }

func (c *serialConn) Read(p []byte, timeout time.Duration) (int, error) {
	if err := c.port.SetReadTimeout(timeout); err != nil {
		return 0, err
	}
	return c.port.Read(p) // n == 0, err == nil: timed out
}

func (c *serialConn) Close() error { return c.port.Close() }

// tcpConn is a network printer's raw port (9100, "JetDirect").
type tcpConn struct {
	conn    net.Conn
	timeout time.Duration
}

func dialTCP(addr string, timeout time.Duration) (Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &tcpConn{conn: conn, timeout: timeout}, nil
}

func (c *tcpConn) Write(p []byte) (int, error) {
	if err := c.conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.conn.Write(p)
}

func (c *tcpConn) Read(p []byte, timeout time.Duration) (int, error) {
	if err := c.conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return 0, err
	}
	n, err := c.conn.Read(p)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return n, nil
	}
	return n, err
}

func (c *tcpConn) Close() error { return c.conn.Close() }

// fileConn appends what is printed to a file: a printer for a till without one, and for looking at
// the bytes.
type fileConn struct{ f *os.File }

func openFile(path string) (Conn, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &fileConn{f: f}, nil
}

func (c *fileConn) Write(p []byte) (int, error)             { return c.f.Write(p) }
func (c *fileConn) Read([]byte, time.Duration) (int, error) { return 0, ErrNoReturn }
func (c *fileConn) OneWay() bool                            { return true }
func (c *fileConn) Close() error                            { return c.f.Close() }
