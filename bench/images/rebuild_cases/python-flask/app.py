"""Exchange-rate notes for the finance team: a small Flask API."""
import sys

import requests
from flask import Flask, jsonify

GREETING = "rates service v3"
RATES_URL = "https://api.frankfurter.app/latest"

app = Flask(__name__)


def convert(amount, rate):
    return round(amount * rate, 2)


@app.get("/")
def index():
    return GREETING


@app.get("/convert/<float:amount>")
def convert_view(amount):
    rates = requests.get(RATES_URL, params={"from": "EUR", "to": "USD"}, timeout=10).json()["rates"]
    return jsonify(eur=amount, usd=convert(amount, rates["USD"]))


if __name__ == "__main__":
    if "--selftest" in sys.argv:
        with app.test_client() as client:
            print(GREETING, client.get("/").status_code, convert(12.5, 1.08), requests.__version__)
    else:
        app.run(host="0.0.0.0", port=8000)
