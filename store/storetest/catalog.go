// Package storetest generates a supermarket's catalog for the benchmarks that need one at full size
// (store's, and the till's memory benchmark): the same products wherever they are made.
package storetest

import (
	"fmt"

	"checkout/app/barcode"
)

// Words of generated product names: a supermarket's brands, goods and sizes, in English and Chinese.
var (
	brands   = []string{"Master Kong", "Uni-President", "Nongfu", "Wahaha", "Yili", "Mengniu", "Bright", "Coca-Cola", "Pepsi", "Lay's", "Oreo", "Dove", "Nestle", "Haitian", "Lee Kum Kee", "Want Want", "Dali", "Three Squirrels", "Liangpin", "Bestore"}
	brandsZH = []string{"康师傅", "统一", "农夫山泉", "娃哈哈", "伊利", "蒙牛", "光明", "可口可乐", "百事", "乐事", "奥利奥", "德芙", "雀巢", "海天", "李锦记", "旺旺", "达利园", "三只松鼠", "良品铺子", "百草味"}
	goods    = []string{"green tea", "jasmine tea", "milk", "yoghurt", "cola", "orange juice", "instant noodles", "soy sauce", "oyster sauce", "biscuits", "chocolate", "potato chips", "cashews", "walnuts", "bread", "cake", "rice", "vinegar", "mineral water", "coffee", "sparkling water", "dried mango", "beef jerky", "sunflower seeds", "rice crackers", "sausage", "candy", "gum", "ice tea", "soda water"}
	goodsZH  = []string{"绿茶", "茉莉花茶", "纯牛奶", "酸奶", "可乐", "橙汁", "方便面", "酱油", "蚝油", "饼干", "巧克力", "薯片", "腰果", "核桃", "面包", "蛋糕", "大米", "香醋", "矿泉水", "咖啡", "苏打水", "芒果干", "牛肉干", "瓜子", "米饼", "香肠", "糖果", "口香糖", "冰红茶", "汽水"}
	sizes    = []string{"250ml", "330ml", "500ml", "1L", "1.5L", "70g", "100g", "200g", "500g", "1kg"}
	flavours = []string{"original", "spicy", "sweet", "light", "classic", "family pack", "mini", "extra", "lemon", "honey"}
)

// ProductName returns the i-th generated product's English and Chinese names.
func ProductName(i int) (string, string) {
	b, g, sz, f := i%len(brands), (i/len(brands))%len(goods), (i/600)%len(sizes), (i/6000)%len(flavours)
	return fmt.Sprintf("%s %s %s %s", brands[b], goods[g], flavours[f], sizes[sz]),
		fmt.Sprintf("%s%s %s", brandsZH[b], goodsZH[g], sizes[sz])
}

// ProductCode returns the i-th generated EAN-13: 69 + ten digits + check digit.
func ProductCode(i int) string {
	data := fmt.Sprintf("69%010d", i)
	return data + string(barcode.CheckDigit(data))
}
