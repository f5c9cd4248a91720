// Package app is the till's domain and its use cases: products, the cart, tax, tenders and the Checkout
// that turns scans into a completed sale. It is pure Go: storage, devices and screens implement or call the
// small interfaces declared here (Catalog, SaleLog) and never the other way round.
package app
