"""Monthly totals of the orders in a CSV file, as JSON."""
import io

import pandas as pd
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/totals")
def totals():
    frame = pd.read_csv(io.BytesIO(request.get_data()), parse_dates=["date"])
    monthly = frame.groupby(frame["date"].dt.to_period("M"))["amount"].sum()
    return jsonify({str(k): round(float(v), 2) for k, v in monthly.items()})


if __name__ == "__main__":
    with app.test_client() as client:
        csv = b"date,amount\n2024-01-03,10.5\n2024-01-20,4.5\n2024-02-01,7\n"
        print(client.post("/totals", data=csv).get_json())
