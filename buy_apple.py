"""Section 5.4.1: buying 2 apples at 100 each with 10% tax, forward and backward.

Prints the price, then d price / d (apple, apple_num, tax). The trailing digits
(220.00000000000003) are IEEE-754 rounding of 1.1, exactly as the book shows.
"""
from layers import MulLayer

apple = 100
apple_num = 2
tax = 1.1

mul_apple_layer = MulLayer()
mul_tax_layer = MulLayer()

# forward
apple_price = mul_apple_layer.forward(apple, apple_num)
price = mul_tax_layer.forward(apple_price, tax)

# backward
dprice = 1
dapple_price, dtax = mul_tax_layer.backward(dprice)
dapple, dapple_num = mul_apple_layer.backward(dapple_price)

print(price)
print(dapple, dapple_num, dtax)
