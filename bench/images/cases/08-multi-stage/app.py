"""Inventory API: items stored with SQLAlchemy, served by FastAPI."""
import sys

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

engine = create_engine("sqlite:///:memory:")


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    count: Mapped[int] = mapped_column(Integer, default=0)


class ItemIn(BaseModel):
    name: str
    count: int = 0


Base.metadata.create_all(engine)
app = FastAPI()


@app.post("/items")
def add_item(item: ItemIn) -> dict:
    with Session(engine) as session:
        row = Item(name=item.name, count=item.count)
        session.add(row)
        session.commit()
        return {"id": row.id}


@app.get("/items")
def list_items() -> list:
    with Session(engine) as session:
        return [{"name": i.name, "count": i.count} for i in session.scalars(select(Item).order_by(Item.id))]


if __name__ == "__main__" and "--selftest" in sys.argv:
    add_item(ItemIn(name="bolts", count=40))
    add_item(ItemIn(name="nuts", count=35))
    print(list_items())
